"""The checklist editor: editors word the safety-planning checklist in bokmål and English, add items and
retire them. The checklist is not about people, so 404 here only hides the feature from those without it
(permission_required_or_404), like the question-tree editor."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core.access import permission_required_or_404
from safety_plans.forms import ChecklistItemForm
from safety_plans.models import ChecklistItem
from safety_plans.selectors import checklist_item_by_code, checklist_item_plan_count, checklist_items_with_use
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
        return redirect("safety_plans:checklist_item_list")
    return render(request, "safety_plans/checklist_form.html", {"form": form, "item": None, "plan_count": 0})


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@permission_required_or_404("safety_plans.change_checklistitem")
def checklist_item_edit(request: HttpRequest, code: str) -> HttpResponse:
    item = checklist_item_by_code(code)
    if item is None:
        raise Http404
    # The form fills its own copy while validating, so the service still sees the item as saved.
    form = ChecklistItemForm(request.POST or None, instance=checklist_item_by_code(code))
    if request.method == "POST" and _save(request, form, item) is not None:
        messages.success(request, _("The item is saved."))
        return redirect("safety_plans:checklist_item_list")
    plan_count = checklist_item_plan_count(item)
    return render(request, "safety_plans/checklist_form.html", {"form": form, "item": item, "plan_count": plan_count})
