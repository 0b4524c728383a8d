"""Project-level views that belong to no feature: the health probe and the error page."""

import logging

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@require_safe
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database answers, 503 when it does not. Says nothing else to anyone."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.warning("healthz: database did not answer")
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def server_error(request: HttpRequest) -> HttpResponse:
    """A generic 500 page: no request data, no exception text, rendered without any context processor,
    so that a failing database or session cannot make the error page fail too."""
    template = loader.get_template("500.html")
    return HttpResponse(template.render({}), status=500)
