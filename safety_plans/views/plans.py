"""The safety plans themselves: the list, starting one, the plan page, editing, reviewing, recording that the
person does not want services involved, and sharing."""

import uuid
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.sharing import SharingPage, sharing_page
from audit.services import audit_log
from core.phone import tel_href
from intake.access import get_intake_for_user
from safety_plans import retention
from safety_plans.access import get_plan_for_user, plan_role_required
from safety_plans.forms import ContactFormSet, PlanItemForm, PlanSectionsForm, PlanStartForm, ReviewForm
from safety_plans.models import PlanItem, SafetyPlan, SafetyPlanUserObjectPermission
from safety_plans.selectors import (
    counsellor_unit,
    may_change_plan,
    plan_contacts,
    plan_intake_for_user,
    plan_items,
    plan_list_for_user,
    plan_reviews,
    tasks_for_user,
)
from safety_plans.services import (
    RevisionConflict,
    safety_plan_add_missing_items,
    safety_plan_create,
    safety_plan_record_declined,
    safety_plan_review,
    safety_plan_save,
    safety_plan_share,
    safety_plan_unshare,
)
from safety_plans.snapshots import SECTION_FIELDS, plan_snapshot, snapshot_changes


@require_safe
@plan_role_required
def plan_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "safety_plans/list.html",
        {
            "plans": plan_list_for_user(request.user),
            "tasks": tasks_for_user(request.user),
            "can_start": request.user.has_perm("safety_plans.add_safetyplan"),
        },
    )


def _plan_page_context(plan: SafetyPlan, user: Any) -> dict[str, Any]:
    items = plan_items(plan)
    reviews = plan_reviews(plan)
    changes = snapshot_changes(reviews[0].snapshot, plan_snapshot(plan, items=items)) if reviews else []
    return {
        "plan": plan,
        "items": items,
        "contacts": [{"label": c.label, "number": c.number, "tel": tel_href(c.number)} for c in plan_contacts(plan)],
        "reviews": reviews,
        "changes": changes,
        "intake": plan_intake_for_user(plan, user),
        "can_change": may_change_plan(user, plan),
        "is_owner": plan.owner_id == user.pk,
        "due": plan.review_due(),
        "deleted_after": retention.safety_plan_deleted_after(plan),
    }


@require_http_methods(["GET", "HEAD", "POST"])
@plan_role_required
def plan_new(request: HttpRequest) -> HttpResponse:
    """Start a plan, on its own or from an intake (``?intake=<uuid>``, carried in the form)."""
    if not request.user.has_perm("safety_plans.add_safetyplan"):
        raise Http404
    intake_pk = request.POST.get("intake") or request.GET.get("intake")
    intake = None
    if intake_pk:
        try:
            intake = get_intake_for_user(request.user, uuid.UUID(str(intake_pk)), for_change=True)
        except ValueError:
            raise Http404 from None
        unit = intake.unit
    else:
        own_unit = counsellor_unit(request.user)
        if own_unit is None:
            raise Http404
        unit = own_unit
    form = PlanStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        plan = safety_plan_create(
            user=request.user,
            unit=unit,
            label=form.cleaned_data["label"],
            intake=intake,
            next_review_on=form.cleaned_data["next_review_on"],
        )
        messages.success(request, _("The plan is started. Go through the checklist together."))
        return redirect("safety_plans:edit", pk=plan.pk)
    return render(request, "safety_plans/new.html", {"form": form, "intake": intake})


@require_safe
@plan_role_required
def plan_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    audit_log(actor=request.user, action="safety_plan.viewed", target=plan, unit=plan.unit)
    return render(request, "safety_plans/detail.html", _plan_page_context(plan, request.user))


def _item_forms(plan: SafetyPlan, data: Any = None) -> list[tuple[PlanItem, PlanItemForm]]:
    return [
        (plan_item, PlanItemForm(data, instance=plan_item, prefix=f"item-{plan_item.pk}"))
        for plan_item in plan_items(plan)
    ]


def _render_edit(
    request: HttpRequest,
    plan: SafetyPlan,
    sections: PlanSectionsForm,
    item_forms: list[tuple[PlanItem, PlanItemForm]],
    contacts: Any,
    *,
    conflict: bool = False,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "safety_plans/edit.html",
        {"plan": plan, "sections": sections, "item_forms": item_forms, "contacts": contacts, "conflict": conflict},
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@plan_role_required
def plan_edit(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """The whole plan on one page: sections, every checklist item, the phone numbers. Saving a page loaded
    before someone else's save is refused and everything typed stays (409); saving again overwrites."""
    plan = get_plan_for_user(request.user, pk, for_change=True)
    if request.method != "POST":
        safety_plan_add_missing_items(plan=plan)
        audit_log(actor=request.user, action="safety_plan.viewed", target=plan, unit=plan.unit)
        sections = PlanSectionsForm(instance=plan, initial={"revision": plan.revision})
        contacts = ContactFormSet(
            prefix="contacts", initial=[{"label": c.label, "number": c.number} for c in plan_contacts(plan)]
        )
        return _render_edit(request, plan, sections, _item_forms(plan), contacts)

    sections = PlanSectionsForm(request.POST, instance=plan)
    item_forms = _item_forms(plan, request.POST)
    contacts = ContactFormSet(request.POST, prefix="contacts")
    valid = [sections.is_valid(), contacts.is_valid(), *(form.is_valid() for _item, form in item_forms)]
    if not all(valid):
        messages.error(request, _("Some answers need fixing. They are marked below; nothing you typed is lost."))
        return _render_edit(request, plan, sections, item_forms, contacts)
    try:
        safety_plan_save(
            plan=plan,
            user=request.user,
            revision=sections.cleaned_data["revision"],
            sections={name: sections.cleaned_data[name] for name in SECTION_FIELDS},
            items={item.pk: form.cleaned_data for item, form in item_forms},
            contacts=[
                {"label": form.cleaned_data["label"], "number": form.cleaned_data["number"]}
                for form in contacts.forms
                if form.cleaned_data.get("number")
            ],
        )
    except RevisionConflict as conflict:
        data = request.POST.copy()
        data["revision"] = str(conflict.plan.revision)
        sections = PlanSectionsForm(data, instance=conflict.plan)
        sections.is_valid()
        item_forms = _item_forms(conflict.plan, data)
        for _item, form in item_forms:
            form.is_valid()
        contacts = ContactFormSet(data, prefix="contacts")
        contacts.is_valid()
        return _render_edit(request, conflict.plan, sections, item_forms, contacts, conflict=True, status=409)
    messages.success(request, _("The plan is saved."))
    return redirect("safety_plans:detail", pk=plan.pk)


@require_http_methods(["GET", "HEAD", "POST"])
@plan_role_required
def plan_review(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """Go through the plan with the person again: what changed since the last review, then record the review
    and the next date."""
    plan = get_plan_for_user(request.user, pk, for_change=True)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        safety_plan_review(
            plan=plan,
            user=request.user,
            next_review_on=form.cleaned_data["next_review_on"],
            note=form.cleaned_data["note"],
        )
        messages.success(request, _("The review is recorded."))
        return redirect("safety_plans:detail", pk=plan.pk)
    if request.method != "POST":
        audit_log(actor=request.user, action="safety_plan.viewed", target=plan, unit=plan.unit)
    return render(request, "safety_plans/review.html", {**_plan_page_context(plan, request.user), "form": form})


@require_POST
@plan_role_required
def plan_declined(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """Record that the person does not want involvement from services, or take it back."""
    plan = get_plan_for_user(request.user, pk, for_change=True)
    declined = request.POST.get("declined") == "yes"
    safety_plan_record_declined(plan=plan, user=request.user, declined=declined)
    if declined:
        messages.success(
            request, _("Recorded: the person does not want involvement from services. The plan still works.")
        )
    else:
        messages.success(request, _("The record that the person does not want involvement from services is removed."))
    return redirect("safety_plans:detail", pk=plan.pk)


PLAN_SHARING = SharingPage(
    permission_model=SafetyPlanUserObjectPermission,
    codename="view_safetyplan",
    share=lambda plan, **kw: safety_plan_share(plan=plan, **kw),
    unshare=lambda plan, **kw: safety_plan_unshare(plan=plan, **kw),
    viewed_action="safety_plan.viewed",
    template="safety_plans/sharing.html",
    url_name="safety_plans:sharing",
    shared_message=gettext_noop("The plan is shared with %(name)s."),
    unshared_message=gettext_noop("The plan is no longer shared with %(name)s."),
    context_name="plan",
)


@require_http_methods(["GET", "HEAD", "POST"])
@plan_role_required
def plan_sharing(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """The owner shares the plan with a colleague in her unit, or takes a share back (others who may see it:
    403; everyone else: 404)."""
    return sharing_page(request, get_plan_for_user(request.user, pk), PLAN_SHARING)
