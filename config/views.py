"""Project-level views that belong to no feature: the error page. (The probes are in core/health.py.)"""

from django.http import HttpRequest, HttpResponse
from django.template import loader

from core.observability import current_request_id


def server_error(request: HttpRequest) -> HttpResponse:
    """A generic 500 page: no request data, no exception text, rendered without any context processor,
    so that a failing database or session cannot make the error page fail too. It shows the request id, which
    the person can quote and the logs (and the error report) carry."""
    template = loader.get_template("500.html")
    return HttpResponse(template.render({"request_id": current_request_id()}), status=500)
