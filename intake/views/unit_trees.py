"""Which question trees a unit's counsellors may start: chosen by the unit's editors and managers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from intake.access import get_unit_for_tree_setting
from intake.forms import UnitTreesForm
from intake.selectors import enabled_trees_for_unit, published_trees, tree_setting_units, unit_has_chosen_trees
from intake.services import unit_intake_trees_set


@require_safe
@login_required
def intake_unit_trees_list(request: HttpRequest) -> HttpResponse:
    """The units whose trees this person may choose, each with the trees in use."""
    units = list(tree_setting_units(request.user))
    if not units:
        raise Http404
    rows = [(unit, enabled_trees_for_unit(unit), unit_has_chosen_trees(unit)) for unit in units]
    return render(request, "intake/unit_trees_list.html", {"rows": rows})


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def intake_unit_trees(request: HttpRequest, slug: str) -> HttpResponse:
    unit = get_unit_for_tree_setting(request.user, slug)
    trees = published_trees()
    form = UnitTreesForm(
        request.POST if request.method == "POST" else None,
        trees=trees,
        initial={"trees": [tree.pk for tree in enabled_trees_for_unit(unit)]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            unit_intake_trees_set(unit=unit, trees=list(form.cleaned_data["trees"]), user=request.user)
        except ValidationError as error:
            form.add_error("trees", error)
        else:
            messages.success(
                request, _("Saved. Counsellors at %(unit)s start intakes with these trees.") % {"unit": unit.name}
            )
            return redirect("intake:unit_trees_list")
    return render(
        request,
        "intake/unit_trees.html",
        {"unit": unit, "form": form, "chosen": unit_has_chosen_trees(unit)},
    )
