"""Files on a report: adding them, opening one (only through the access check; there is no other URL for
them), and removing one."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from audit.services import audit_log
from incidents import attachments, selectors
from incidents.access import attachment_targets, get_attachment_for_user, get_incident_for_user
from incidents.forms import AttachmentForm
from incidents.views.followup import _detail_context


@login_required
@require_POST
def attachment_add(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    incident = get_incident_for_user(request.user, pk)
    can_change = selectors.may_change_incident(request.user, incident)
    targets = attachment_targets(request.user, incident, can_change=can_change)
    if not targets:
        raise Http404
    form = AttachmentForm(request.POST, request.FILES, targets=targets)
    if form.is_valid():
        for checked in form.cleaned_data["attachments"]:
            attachments.attachment_add(
                incident=incident, user=request.user, checked=checked, action=form.cleaned_data["target"]
            )
        messages.success(request, _("The files were attached."))
        return redirect("incidents:detail", pk=incident.pk)
    messages.error(request, _("The files were not attached: see the message beside the field."))
    context = _detail_context(request, incident, attachment_form=form)
    return render(request, "incidents/detail.html", context, status=400)


@login_required
@require_safe
def attachment_download(request: HttpRequest, pk: uuid.UUID, attachment_pk: uuid.UUID) -> FileResponse:
    attachment = get_attachment_for_user(request.user, pk, attachment_pk)
    incident = attachment.incident
    audit_log(actor=request.user, action="incident.attachment_viewed", target=incident, unit=incident.unit)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        content_type=attachment.content_type,
        # Photos open in the browser; documents are downloaded, never rendered as part of this site.
        as_attachment=not attachment.is_image,
        filename=attachment.name,
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
@require_POST
def attachment_remove(request: HttpRequest, pk: uuid.UUID, attachment_pk: uuid.UUID) -> HttpResponse:
    attachment = get_attachment_for_user(request.user, pk, attachment_pk)
    incident = attachment.incident
    if not selectors.may_change_incident(request.user, incident) or incident.anonymised_at is not None:
        raise Http404
    attachments.attachment_remove(attachment=attachment, user=request.user)
    messages.success(request, _("The file was removed."))
    return redirect("incidents:detail", pk=incident.pk)
