"""Anonymous intake statistics for managers."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from accounts.models import Unit
from audit.services import audit_log
from core.access import permission_required_or_404
from intake.finalize import help_choices
from intake.questionnaire import Tree
from intake.selectors import current_tree_version, intake_tree_version, published_trees
from intake.statistics import SUPPRESS_BELOW, statistics_table, statistics_units


@require_safe
@login_required
@permission_required_or_404("intake.view_intakestatistic")
def intake_statistics(request: HttpRequest) -> HttpResponse:
    """Anonymous counts per month and help offered for the units the manager manages."""
    units = statistics_units(request.user)
    # The kinds of help every tree in use knows, the default tree's first (its order is the table's).
    names: dict[str, str] = {}
    default = intake_tree_version(get_language())
    others = (current_tree_version(tree.slug, get_language()) for tree in published_trees())
    for version in [default, *others]:
        for code, name in help_choices(Tree(version.questionnaire)) if version else []:
            names.setdefault(code, name)
    table = statistics_table(units, names)
    logged: list[Unit | None] = [*units] or [None]  # one event without a unit when she manages none
    for unit in logged:
        audit_log(actor=request.user, action="intake.statistics_viewed", unit=unit)
    return render(request, "intake/statistics.html", {"table": table, "units": units, "threshold": SUPPRESS_BELOW})
