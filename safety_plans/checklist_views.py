"""The checklist editor: editors word the safety-planning checklist in bokmål and English, add items and
retire them. The checklist is not about people, so 404 here only hides the feature from those without it
(permission_required_or_404), like the question-tree editor."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core.access import permission_required_or_404
from safety_plans.checklist_forms import ChecklistItemForm
from safety_plans.models import ChecklistItem, PlanItem
from safety_plans.selectors import checklist_items_with_use
from safety_plans.services import checklist_item_save


def _save(request: HttpRequest, form: ChecklistItemForm, item: ChecklistItem | None) -> ChecklistItem | None:
    """The form's data through the service; a refusal becomes a form error, keeping what was typed."""
    if not form.is_valid():
        return None
    try:
        return checklist_item_save(item=item, user=request.user, data=form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, error)
        return None


@require_safe
@login_required
@permission_required_or_404("safety_plans.change_checklistitem")
def checklist_item_list(request: HttpRequest) -> HttpResponse:
    return render(request, "safety_plans/checklist_list.html", {"items": checklist_items_with_use()})


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@permission_required_or_404("safety_plans.add_checklistitem")
def checklist_item_new(request: HttpRequest) -> HttpResponse:
    form = ChecklistItemForm(request.POST or None)
    if request.method == "POST" and _save(request, form, None) is not None:
        messages.success(request, _("The item is added. New plans get it from now on."))
        return redirect("checklist_item_list")
    return render(request, "safety_plans/checklist_form.html", {"form": form, "item": None, "plan_count": 0})


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@permission_required_or_404("safety_plans.change_checklistitem")
def checklist_item_edit(request: HttpRequest, code: str) -> HttpResponse:
    item = get_object_or_404(ChecklistItem, code=code)
    form = ChecklistItemForm(request.POST or None, instance=ChecklistItem.objects.get(pk=item.pk))
    if request.method == "POST" and _save(request, form, item) is not None:
        messages.success(request, _("The item is saved."))
        return redirect("checklist_item_list")
    plan_count = PlanItem.objects.filter(item=item).values("plan").distinct().count()
    return render(request, "safety_plans/checklist_form.html", {"form": form, "item": item, "plan_count": plan_count})
