"""Refused access to a record is a security event: log it (ASVS V7.2.2).

The record access helpers answer "not found" (``core.access.RecordNotFound``, a 404) to anyone with no
right to a record, and 403 to a reader asking for a change she may not make. When such an answer comes from
a page about one record (a view taking a ``pk`` in the app a registered record type names for its pages,
``core.auditing.RecordType.pages_in``), this writes
``record.access_refused`` with the record type and the id from the address, and no unit (which would tell
whose record it is). The id is the one the person asked for: it may name a record that does not exist, and
the log says nothing about whether it does. Other 404s on those pages (an unknown intake step on an intake
one may see) are not refusals and are not logged.
"""

from django.apps import apps
from django.core.exceptions import PermissionDenied

from audit.review import record_type_for_page
from audit.services import audit_log
from core.access import RecordNotFound


def record_of(resolver_match):
    """The record (an unsaved instance carrying only its id) a request's page is about, or None."""
    record_type = record_type_for_page(resolver_match)
    if record_type is None:
        return None
    return apps.get_model(record_type.model)(pk=resolver_match.kwargs["pk"])


class AccessRefusedAuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (RecordNotFound, PermissionDenied)) or not request.user.is_authenticated:
            return None
        record = record_of(request.resolver_match)
        if record is not None:
            audit_log(actor=request.user, action="record.access_refused", target=record)
        return None  # Django answers as it would have
