"""Following a report up: the report page, correcting it, who is responsible, review and closing, actions and
the exchange-student checklist steps. Every change carries the version it was made from (optimistic locking)."""

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from audit.services import audit_log
from incidents import retention, selectors, services
from incidents.access import attachment_targets, get_incident_for_user
from incidents.checklist import step_texts
from incidents.forms import (
    ActionForm,
    ActionUpdateForm,
    AssignForm,
    AttachmentForm,
    CloseForm,
    IncidentEditForm,
    MessageForm,
    RiskForm,
    StepForm,
    TransitionForm,
)
from incidents.models import Incident, IncidentType
from incidents.risk import apply_matrix_labels

CHANGE = "incidents.change_incident"


def _conflict(request: HttpRequest) -> None:
    messages.error(
        request,
        _(
            "Someone else changed this report while you were working on it, so your change was not saved. "
            "The report now shows their version; your input is kept below. Check it and save again."
        ),
    )


def _detail_context(
    request: HttpRequest, incident: Incident, action_forms: dict[Any, ActionUpdateForm] | None = None, **forms: Any
) -> dict[str, Any]:
    can_change = selectors.may_change_incident(request.user, incident) and incident.anonymised_at is None
    context = {
        "incident": incident,
        "can_change": can_change,
        "today": timezone.localdate(),
        "now": timezone.now(),
        "anonymised_after": retention.incident_anonymised_after(incident),
    }
    user_pk = request.user.pk
    actions = selectors.incident_actions(incident)
    bound = action_forms or {}
    action_forms_shown = [
        (
            a,
            bound.get(a.pk) or ActionUpdateForm(instance=a, prefix=f"a-{a.pk}")
            if can_change or a.responsible_id == user_pk
            else None,
        )
        for a in actions
    ]
    context["open_actions"] = sum(1 for a in actions if a.status == a.Status.OPEN)
    context["transitions"] = selectors.incident_transitions(incident)
    if incident.anonymous:
        context["thread"] = list(incident.messages.select_related("author"))
    files = list(selectors.incident_attachments(incident))
    context["report_attachments"] = [f for f in files if f.action_id is None]
    action_files: dict[Any, list[Any]] = {}
    for f in files:
        if f.action_id is not None:
            action_files.setdefault(f.action_id, []).append(f)
    context["actions"] = [(a, form, action_files.get(a.pk, [])) for a, form in action_forms_shown]
    targets = attachment_targets(request.user, incident, can_change=can_change)
    if targets:
        context["attachment_form"] = forms.get("attachment_form") or AttachmentForm(targets=targets)
    if incident.type == IncidentType.EXCHANGE_STUDENTS:
        texts = step_texts()
        steps = selectors.incident_steps(incident)
        people = selectors.unit_people(incident.unit)
        context["steps"] = [
            (
                texts[s.number - 1],
                s,
                StepForm(instance=s, people=people, prefix=f"s-{s.number}") if can_change else None,
            )
            for s in steps
        ]
    if can_change:
        initial = {"version": incident.version}
        context["assign_form"] = forms.get("assign_form") or AssignForm(
            initial={**initial, "assignee": incident.assigned_to_id}, managers=selectors.unit_managers(incident.unit)
        )
        context["transition_form"] = forms.get("transition_form") or TransitionForm(initial=initial)
        context["risk_form"] = forms.get("risk_form") or RiskForm(
            initial={
                **initial,
                "consequence": incident.consequence or incident.suggested_consequence,
                "probability": incident.probability or incident.suggested_probability,
            }
        )
        apply_matrix_labels(context["risk_form"], incident.unit_id)
        if incident.anonymous:
            context["message_form"] = forms.get("message_form") or MessageForm()
        context["action_form"] = forms.get("action_form") or ActionForm(people=selectors.unit_people(incident.unit))
    return context


@login_required
@require_safe
def incident_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    incident = get_incident_for_user(request.user, pk)
    audit_log(actor=request.user, action="incident.viewed", target=incident, unit=incident.unit)
    return render(request, "incidents/detail.html", _detail_context(request, incident))


@login_required
@require_http_methods(["GET", "POST"])
def incident_edit(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    incident = get_incident_for_user(request.user, pk, perm=CHANGE)
    if request.method == "POST":
        form = IncidentEditForm(request.POST, instance=selectors.incident_copy(incident))
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k not in {"version", "save_anyway"}}
            data["pii_overridden"] = form.pii_overridden
            try:
                services.incident_update(
                    incident=incident, user=request.user, expected_version=form.cleaned_data["version"], **data
                )
            except services.IncidentConflict:
                _conflict(request)
                incident.refresh_from_db()
                # Keep their input; the hidden version now points at what they have been shown.
                post = request.POST.copy()
                post["version"] = str(incident.version)
                form = IncidentEditForm(post, instance=selectors.incident_copy(incident))
                form.is_valid()
                context = {"form": form, "incident": incident, "conflict": True}
                return render(request, "incidents/edit.html", context, status=409)
            messages.success(request, _("The report was saved."))
            return redirect("incidents:detail", pk=incident.pk)
    else:
        form = IncidentEditForm(instance=incident, initial={"version": incident.version})
    return render(request, "incidents/edit.html", {"form": form, "incident": incident})


@login_required
@require_POST
def incident_assign(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    incident = get_incident_for_user(request.user, pk, perm=CHANGE)
    data = request.POST.copy()
    if "take" in data:
        data["assignee"] = str(request.user.pk)
    form = AssignForm(data, managers=selectors.unit_managers(incident.unit))
    if form.is_valid():
        try:
            services.incident_assign(
                incident=incident,
                user=request.user,
                assignee=form.cleaned_data["assignee"],
                expected_version=form.cleaned_data["version"],
            )
            messages.success(request, _("The report's responsible manager was saved."))
            return redirect("incidents:detail", pk=incident.pk)
        except services.IncidentConflict:
            _conflict(request)
        except ValidationError as error:
            form.add_error(None, error)
    incident.refresh_from_db()
    return render(request, "incidents/detail.html", _detail_context(request, incident, assign_form=form), status=400)


@login_required
@require_POST
def incident_transition(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    incident = get_incident_for_user(request.user, pk, perm=CHANGE)
    form = TransitionForm(request.POST)
    if form.is_valid():
        try:
            services.incident_transition(
                incident=incident,
                user=request.user,
                to_state=Incident.State.IN_REVIEW,
                expected_version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, _("The report is in review."))
            return redirect("incidents:detail", pk=incident.pk)
        except services.IncidentConflict:
            _conflict(request)
        except ValidationError as error:
            form.add_error("reason" if incident.state == Incident.State.CLOSED else None, error)
    incident.refresh_from_db()
    context = _detail_context(request, incident, transition_form=form)
    return render(request, "incidents/detail.html", context, status=400)


@login_required
@require_POST
def incident_risk(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    incident = get_incident_for_user(request.user, pk, perm=CHANGE)
    form = RiskForm(request.POST)
    if form.is_valid():
        try:
            services.incident_risk_confirm(
                incident=incident,
                user=request.user,
                expected_version=form.cleaned_data["version"],
                consequence=form.cleaned_data["consequence"],
                probability=form.cleaned_data["probability"],
            )
            messages.success(request, _("The risk assessment was saved."))
            return redirect("incidents:detail", pk=incident.pk)
        except services.IncidentConflict:
            _conflict(request)
        except ValidationError as error:
            form.add_error(None, error)
    incident.refresh_from_db()
    return render(request, "incidents/detail.html", _detail_context(request, incident, risk_form=form), status=400)


@login_required
@require_http_methods(["GET", "POST"])
def incident_close(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    incident = get_incident_for_user(request.user, pk, perm=CHANGE)
    status = 200
    refusal: list[str] = []
    if request.method == "POST":
        form = CloseForm(request.POST)
        if form.is_valid():
            try:
                data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
                services.incident_close(
                    incident=incident, user=request.user, expected_version=form.cleaned_data["version"], **data
                )
                messages.success(request, _("The report is closed."))
                return redirect("incidents:detail", pk=incident.pk)
            except services.IncidentConflict:
                _conflict(request)
                incident.refresh_from_db()
                post = request.POST.copy()
                post["version"] = str(incident.version)
                form = CloseForm(post)
                status = 409
            except ValidationError as error:
                # Refused as a whole (open actions, the state): said at the top, the form kept as typed.
                refusal = list(error.messages)
                status = 400
        else:
            status = 400
    else:
        form = CloseForm(initial={"version": incident.version, "routine": incident.routine_id})
    context = {
        "form": form,
        "incident": incident,
        "open_actions": selectors.open_actions(incident),
        "refusal": refusal,
    }
    return render(request, "incidents/close.html", context, status=status)


@login_required
@require_POST
def incident_action_add(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    incident = get_incident_for_user(request.user, pk, perm=CHANGE)
    form = ActionForm(request.POST, people=selectors.unit_people(incident.unit))
    if form.is_valid():
        try:
            services.action_add(incident=incident, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("deadline", error)
        else:
            messages.success(request, _("The action was added."))
            return redirect("incidents:detail", pk=incident.pk)
    return render(request, "incidents/detail.html", _detail_context(request, incident, action_form=form), status=400)


@login_required
@require_POST
def incident_action_update(request: HttpRequest, pk: uuid.UUID, action_pk: uuid.UUID) -> HttpResponse:
    incident = get_incident_for_user(request.user, pk)
    action = selectors.incident_action(incident, action_pk)
    if action is None or not (
        selectors.may_change_incident(request.user, incident) or action.responsible_id == request.user.pk
    ):
        raise Http404
    if incident.anonymised_at is not None:
        raise Http404  # read-only once anonymised (incidents.access)
    form = ActionUpdateForm(
        request.POST, instance=selectors.incident_action(incident, action_pk), prefix=f"a-{action.pk}"
    )
    if form.is_valid():
        try:
            services.action_update(action=action, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("status_reason", error)
        else:
            messages.success(request, _("The action was saved."))
            return redirect("incidents:detail", pk=incident.pk)
    # Shown again with what was typed and the error beside the field.
    messages.error(request, _("The action was not saved: see the message beside the field."))
    context = _detail_context(request, incident, action_forms={action.pk: form})
    return render(request, "incidents/detail.html", context, status=400)


@login_required
@require_POST
def incident_step_update(request: HttpRequest, pk: uuid.UUID, number: int) -> HttpResponse:
    incident = get_incident_for_user(request.user, pk, perm=CHANGE)
    step = selectors.incident_step(incident, number)
    if step is None:
        raise Http404
    form = StepForm(request.POST, instance=step, people=selectors.unit_people(incident.unit), prefix=f"s-{number}")
    if form.is_valid():
        data = form.cleaned_data
        services.step_update(step=step, user=request.user, responsible=data["responsible"], done=data["done"])
        messages.success(request, _("The step was saved."))
    else:
        messages.error(request, _("The step was not saved: choose a person from the list."))
    return redirect("incidents:detail", pk=incident.pk)
