"""Sharing an intake with a colleague in its unit (the generic sharing page, configured for intakes)."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_http_methods

from accounts.sharing import SharingPage, sharing_page
from intake.access import get_intake_for_user, intake_role_required
from intake.models import IntakeUserObjectPermission
from intake.services import intake_share, intake_unshare

INTAKE_SHARING = SharingPage(
    permission_model=IntakeUserObjectPermission,
    codename="view_intake",
    share=lambda intake, **kw: intake_share(intake=intake, **kw),
    unshare=lambda intake, **kw: intake_unshare(intake=intake, **kw),
    viewed_action="intake.viewed",
    template="intake/sharing.html",
    url_name="intake:sharing",
    shared_message=gettext_noop("The intake is shared with %(name)s."),
    unshared_message=gettext_noop("The intake is no longer shared with %(name)s."),
    context_name="intake",
)


@require_http_methods(["GET", "HEAD", "POST"])
@intake_role_required
def intake_sharing(request: HttpRequest, pk: Any) -> HttpResponse:
    """The owner shares the intake with a colleague in her unit, or takes a share back. Anyone else who may
    see the intake is refused (403); everyone else gets 404 from get_intake_for_user."""
    return sharing_page(request, get_intake_for_user(request.user, pk), INTAKE_SHARING)
