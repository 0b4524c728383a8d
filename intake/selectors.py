"""Reads for intakes and trees. ``get_intake_for_user`` is the only way a view reaches an intake."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from guardian.shortcuts import get_objects_for_user

from accounts.access import uses_case_records
from core.access import RecordNotFound
from intake.models import Intake, TreeVersion, drafts_first


def uses_intakes(user) -> bool:
    """Whether the intake pages exist for this person: counsellors and managers."""
    return uses_case_records(user, add_perm="intake.add_intake", view_perm="intake.view_intake")


def intakes_for_user(user, perm: str = "intake.view_intake") -> QuerySet[Intake]:
    """The intakes granted to ``user`` (as owner, as a colleague shared with, or as the unit's manager).

    Superusers get nothing here: an administrator manages accounts, and is not given the content of
    conversations with people exposed to violence just for being one (with_superuser=False).
    """
    return get_objects_for_user(user, perm, klass=Intake, accept_global_perms=False, with_superuser=False)


def get_intake_for_user(user, pk, *, for_change: bool = False) -> Intake:
    """The intake, or RecordNotFound (404) for anyone with no right to know it exists; PermissionDenied (403) for a
    reader who may see it but not change it (a manager)."""
    intake = intakes_for_user(user).select_related("tree_version", "unit", "owner").filter(pk=pk).first()
    if intake is None:
        raise RecordNotFound
    if for_change and not user.has_perm("intake.change_intake", intake):
        raise PermissionDenied
    return intake


LIST_COLUMNS = (
    "id",
    "status",
    "created_at",
    "updated_at",
    "owner__id",
    "owner__username",
    "owner__first_name",
)


def intake_list_for_user(user) -> QuerySet[Intake]:
    """Drafts first (the ones to resume), then the most recently saved. The list page shows it a page at a
    time: a counsellor's or a unit's intakes grow without bound (benchmarks/bench.py measures 100 000)."""
    # Only the columns the list shows: not the answers or the note, and not the tree version, whose
    # questionnaire (some 30 kB of JSON) came along with every row before `make bench` caught it.
    return (
        intakes_for_user(user).select_related("owner").only(*LIST_COLUMNS).order_by(drafts_first(), "-updated_at", "pk")
    )


def current_tree_version(tree_slug: str, language: str) -> TreeVersion | None:
    """The newest published version of a tree in a language, falling back to bokmål."""
    versions = TreeVersion.objects.filter(tree__slug=tree_slug, status=TreeVersion.Status.PUBLISHED).select_related(
        "tree"
    )
    return (
        versions.filter(language=language).order_by("-number").first()
        or versions.filter(language="nb").order_by("-number").first()
    )
