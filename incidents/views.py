from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from audit.services import audit_log
from core.access import permission_required_or_404
from core.csv import rows_to_csv
from incidents import retention, selectors, services
from incidents.access import get_incident_for_user
from incidents.charts import stacked_bars
from incidents.checklist import step_texts
from incidents.forms import (
    ActionForm,
    ActionUpdateForm,
    AssignForm,
    CloseForm,
    IncidentEditForm,
    IncidentReportForm,
    ListFilterForm,
    StepForm,
    TransitionForm,
)
from incidents.models import Incident, IncidentAction, IncidentType

CHANGE = "incidents.change_incident"
PAGE_SIZE = 25


def _conflict(request):
    messages.error(
        request,
        _(
            "Someone else changed this report while you were working on it, so your change was not saved. "
            "The report now shows their version; your input is kept below. Check it and save again."
        ),
    )


def _unit_people(incident):
    people = get_user_model().objects.filter(memberships__unit=incident.unit).distinct()
    return people.order_by("first_name", "username")


@login_required
@permission_required_or_404("incidents.add_incident")
@require_http_methods(["GET", "POST"])
def incident_new(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = IncidentReportForm(request.POST, user=request.user)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "save_anyway"}
            incident, _created = services.incident_report(user=request.user, **data)
            return redirect("incident_receipt", pk=incident.pk)
    else:
        initial = {}
        if request.GET.get("type") in IncidentType.values:
            initial["type"] = request.GET["type"]
        form = IncidentReportForm(initial=initial, user=request.user)
    return render(request, "incidents/new.html", {"form": form})


@login_required
@require_safe
def incident_receipt(request: HttpRequest, pk) -> HttpResponse:
    incident = get_incident_for_user(request.user, pk)
    if incident.reporter_id != request.user.pk:
        raise Http404
    return render(request, "incidents/receipt.html", {"incident": incident})


@login_required
@require_safe
def incident_mine(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    return render(
        request,
        "incidents/mine.html",
        {
            "reports": selectors.my_reports(request.user)[:100],
            "actions": selectors.my_actions(request.user),
            "today": today,
        },
    )


def _filters(request):
    form = ListFilterForm(request.GET or None, units=selectors.managed_units(request.user))
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = selectors.ListFilters(
            state=data["state"],
            type=data["type"],
            unit=data["unit"].pk if data["unit"] else None,
            overdue=data["overdue"],
        )
    else:
        filters = selectors.ListFilters()
    return form, filters


@login_required
@permission_required_or_404("incidents.view_incident")
@require_safe
def incident_list(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    page = Paginator(selectors.incident_list(request.user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    audit_log(actor=request.user, action="incident.list_viewed")
    return render(request, "incidents/list.html", {"form": form, "page": page, "query": query.urlencode()})


@login_required
@permission_required_or_404("incidents.view_incident")
@require_safe
def incident_export(request: HttpRequest) -> HttpResponse:
    _form, filters = _filters(request)
    incidents = selectors.incident_list(request.user, filters)
    header = [
        _("Id"),
        _("Type"),
        _("When it happened"),
        _("Unit"),
        _("State"),
        _("Overdue actions"),
        _("Place"),
        _("What happened"),
    ]
    rows = (
        [
            str(i.pk),
            i.get_type_display(),
            timezone.localtime(i.occurred_at).strftime("%Y-%m-%d %H:%M"),
            i.unit.name,
            i.get_state_display(),
            _("yes") if i.has_overdue else "",
            i.place,
            i.what_happened,
        ]
        for i in incidents.iterator(chunk_size=2000)
    )
    response = HttpResponse(rows_to_csv(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="incidents-{timezone.localdate():%Y-%m-%d}.csv"'
    audit_log(actor=request.user, action="incident.exported")
    return response


@login_required
@permission_required_or_404("incidents.view_incident")
@require_safe
def incident_overview(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    incidents = selectors.managed_incidents(request.user)
    months, per_type = selectors.per_month_by_type(incidents, today)
    month_labels = [m.strftime("%Y-%m") for m in months]
    labels = dict(IncidentType.choices)
    monthly = stacked_bars(
        title=_("Reports per month by type"),
        description=_("Number of reports in each of the last twelve months, stacked by type."),
        labels=month_labels,
        series=[(labels[t], values) for t, values in per_type.items()],
    )
    monthly_rows = [
        (label, [values[i] for values in per_type.values()], sum(values[i] for values in per_type.values()))
        for i, label in enumerate(month_labels)
    ]
    age_labels = [_("0-7 days"), _("8-30 days"), _("31-90 days"), _("More than 90 days")]
    ages = selectors.open_by_age(incidents, today)
    by_age = stacked_bars(
        title=_("Open reports by age"),
        description=_("Reports not yet closed, by days since they were reported."),
        labels=[str(label) for label in age_labels],
        series=[(_("Open reports"), ages)],
    )
    overdue = selectors.overdue_by_unit(incidents, today)
    overdue_chart = stacked_bars(
        title=_("Overdue actions"),
        description=_("Open actions past their deadline, by unit."),
        labels=[name for name, _n in overdue],
        series=[(_("Overdue actions"), [n for _name, n in overdue])],
    )
    audit_log(actor=request.user, action="incident.overview_viewed")
    return render(
        request,
        "incidents/overview.html",
        {
            "monthly": monthly,
            "monthly_rows": monthly_rows,
            "type_labels": [labels[t] for t in per_type],
            "by_age": by_age,
            "age_rows": list(zip(age_labels, ages)),
            "overdue": overdue_chart,
            "overdue_rows": overdue,
        },
    )


def _detail_context(request, incident, **forms):
    can_change = request.user.has_perm(CHANGE, incident) and incident.anonymised_at is None
    context = {
        "incident": incident,
        "can_change": can_change,
        "today": timezone.localdate(),
        "anonymised_after": retention.incident_anonymised_after(incident),
    }
    user_pk = request.user.pk
    actions = list(incident.actions.select_related("responsible"))
    context["actions"] = [
        (a, ActionUpdateForm(instance=a, prefix=f"a-{a.pk}") if can_change or a.responsible_id == user_pk else None)
        for a in actions
    ]
    context["transitions"] = incident.transitions.select_related("by")
    if incident.type == IncidentType.EXCHANGE_STUDENTS:
        texts = step_texts()
        steps = list(incident.steps.select_related("responsible"))
        people = _unit_people(incident)
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
            initial={**initial, "assignee": incident.assigned_to_id}, managers=services.unit_managers(incident.unit)
        )
        context["transition_form"] = forms.get("transition_form") or TransitionForm(initial=initial)
        context["action_form"] = forms.get("action_form") or ActionForm(people=_unit_people(incident))
    return context


@login_required
@require_safe
def incident_detail(request: HttpRequest, pk) -> HttpResponse:
    incident = get_incident_for_user(request.user, pk)
    audit_log(actor=request.user, action="incident.viewed", target=incident, unit=incident.unit)
    return render(request, "incidents/detail.html", _detail_context(request, incident))


@login_required
@require_http_methods(["GET", "POST"])
def incident_edit(request: HttpRequest, pk) -> HttpResponse:
    incident = get_incident_for_user(request.user, pk, perm=CHANGE)
    if request.method == "POST":
        form = IncidentEditForm(request.POST, instance=Incident.objects.get(pk=incident.pk))
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k not in {"version", "save_anyway"}}
            try:
                services.incident_update(
                    incident=incident, user=request.user, expected_version=form.cleaned_data["version"], **data
                )
            except services.IncidentConflict:
                _conflict(request)
                incident.refresh_from_db()
                # Keep their input; the hidden version now points at what they have been shown.
                post = request.POST.copy()
                post["version"] = incident.version
                form = IncidentEditForm(post, instance=Incident.objects.get(pk=incident.pk))
                form.is_valid()
                context = {"form": form, "incident": incident, "conflict": True}
                return render(request, "incidents/edit.html", context, status=409)
            messages.success(request, _("The report was saved."))
            return redirect("incident_detail", pk=incident.pk)
    else:
        form = IncidentEditForm(instance=incident, initial={"version": incident.version})
    return render(request, "incidents/edit.html", {"form": form, "incident": incident})


@login_required
@require_POST
def incident_assign(request: HttpRequest, pk) -> HttpResponse:
    incident = get_incident_for_user(request.user, pk, perm=CHANGE)
    data = request.POST.copy()
    if "take" in data:
        data["assignee"] = request.user.pk
    form = AssignForm(data, managers=services.unit_managers(incident.unit))
    if form.is_valid():
        try:
            services.incident_assign(
                incident=incident,
                user=request.user,
                assignee=form.cleaned_data["assignee"],
                expected_version=form.cleaned_data["version"],
            )
            messages.success(request, _("The report's responsible manager was saved."))
            return redirect("incident_detail", pk=incident.pk)
        except services.IncidentConflict:
            _conflict(request)
        except ValidationError as error:
            form.add_error(None, error)
    incident.refresh_from_db()
    return render(request, "incidents/detail.html", _detail_context(request, incident, assign_form=form), status=400)


@login_required
@require_POST
def incident_transition(request: HttpRequest, pk) -> HttpResponse:
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
            return redirect("incident_detail", pk=incident.pk)
        except services.IncidentConflict:
            _conflict(request)
        except ValidationError as error:
            form.add_error("reason" if incident.state == Incident.State.CLOSED else None, error)
    incident.refresh_from_db()
    context = _detail_context(request, incident, transition_form=form)
    return render(request, "incidents/detail.html", context, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def incident_close(request: HttpRequest, pk) -> HttpResponse:
    incident = get_incident_for_user(request.user, pk, perm=CHANGE)
    status = 200
    if request.method == "POST":
        form = CloseForm(request.POST)
        if form.is_valid():
            try:
                data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
                services.incident_close(
                    incident=incident, user=request.user, expected_version=form.cleaned_data["version"], **data
                )
                messages.success(request, _("The report is closed."))
                return redirect("incident_detail", pk=incident.pk)
            except services.IncidentConflict:
                _conflict(request)
                incident.refresh_from_db()
                post = request.POST.copy()
                post["version"] = incident.version
                form = CloseForm(post)
                status = 409
            except ValidationError as error:
                form.add_error(None, error)
                status = 400
        else:
            status = 400
    else:
        form = CloseForm(initial={"version": incident.version, "routine": incident.routine_id})
    return render(request, "incidents/close.html", {"form": form, "incident": incident}, status=status)


@login_required
@require_POST
def incident_action_add(request: HttpRequest, pk) -> HttpResponse:
    incident = get_incident_for_user(request.user, pk, perm=CHANGE)
    form = ActionForm(request.POST, people=_unit_people(incident))
    if form.is_valid():
        services.action_add(incident=incident, user=request.user, **form.cleaned_data)
        messages.success(request, _("The action was added."))
        return redirect("incident_detail", pk=incident.pk)
    return render(request, "incidents/detail.html", _detail_context(request, incident, action_form=form), status=400)


@login_required
@require_POST
def incident_action_update(request: HttpRequest, pk, action_pk) -> HttpResponse:
    incident = get_incident_for_user(request.user, pk)
    action = IncidentAction.objects.filter(pk=action_pk, incident=incident).first()
    if action is None or not (request.user.has_perm(CHANGE, incident) or action.responsible_id == request.user.pk):
        raise Http404
    if incident.anonymised_at is not None:
        raise Http404  # read-only once anonymised (incidents.access)
    form = ActionUpdateForm(request.POST, instance=action, prefix=f"a-{action.pk}")
    if form.is_valid():
        services.action_update(action=action, user=request.user, **form.cleaned_data)
        messages.success(request, _("The action was saved."))
    else:
        messages.error(request, _("The action was not saved: choose a status."))
    return redirect("incident_detail", pk=incident.pk)


@login_required
@require_POST
def incident_step_update(request: HttpRequest, pk, number: int) -> HttpResponse:
    incident = get_incident_for_user(request.user, pk, perm=CHANGE)
    step = incident.steps.filter(number=number).first()
    if step is None:
        raise Http404
    form = StepForm(request.POST, instance=step, people=_unit_people(incident), prefix=f"s-{number}")
    if form.is_valid():
        data = form.cleaned_data
        services.step_update(step=step, user=request.user, responsible=data["responsible"], done=data["done"])
        messages.success(request, _("The step was saved."))
    else:
        messages.error(request, _("The step was not saved: choose a person from the list."))
    return redirect("incident_detail", pk=incident.pk)
