"""Refused access to a record is a security event: log it (ASVS V7.2.2).

The access helpers answer "not found" (404) to anyone with no right to a record, and 403 to a reader asking
for a change she may not make. When such an answer comes from a page about one record (a URL with a ``pk``
whose name says which kind of record), this writes ``record.access_refused`` with the record type and the
id from the address, and no unit (which would tell whose record it is). The id is the one the person asked
for: it may name a record that does not exist, and the log says nothing about whether it does.
"""

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.audit import audit_log

# URL name prefixes of the pages about one record, and the record type they name.
RECORD_PAGES = {
    "intake_": "intake.intake",
    "safety_plan_": "safety_plans.safetyplan",
    "incident_": "incidents.incident",
    "print_order_": "routines.printorder",
}


def record_of(resolver_match):
    """The record (an unsaved instance carrying only its id) a request's page is about, or None."""
    if resolver_match is None or "pk" not in resolver_match.kwargs:
        return None
    name = resolver_match.url_name or ""
    label = next((label for prefix, label in RECORD_PAGES.items() if name.startswith(prefix)), None)
    if label is None:
        return None
    return apps.get_model(label)(pk=resolver_match.kwargs["pk"])


class AccessRefusedAuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (Http404, PermissionDenied)) or not request.user.is_authenticated:
            return None
        record = record_of(request.resolver_match)
        if record is not None:
            audit_log(actor=request.user, action="record.access_refused", target=record)
        return None  # Django answers as it would have
