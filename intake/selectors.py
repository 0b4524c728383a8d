"""Reads for intakes and trees. ``intake.access.get_intake_for_user`` is the only way a view reaches an intake."""

from typing import Any, TypeVar

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404

from accounts.access import may_change_record, uses_case_records, visible_records
from accounts.models import Membership, Unit
from accounts.roles import Role
from intake.models import (
    CodeSystem,
    Intake,
    IntakeNoteAddendum,
    IntakeUserObjectPermission,
    QuestionTree,
    TreeVersion,
    UnitIntakeTree,
    ValueSet,
    drafts_first,
)
from intake.response import parse_reference


def uses_intakes(user: Any) -> bool:
    """Whether the intake pages exist for this person: counsellors and managers."""
    return uses_case_records(user, add_perm="intake.add_intake", view_perm="intake.view_intake")


def visible_intakes(user: Any, *, for_change: bool = False) -> QuerySet[Intake]:
    """The intakes this person may see (``for_change``: change): her own and those shared with her (her
    guardian user grants), and, to read only, every intake of the units she manages (her memberships).

    Superusers get nothing for being one: an administrator manages accounts, and is not given the content of
    conversations with people exposed to violence just for being one.
    """
    return visible_records(
        Intake,
        IntakeUserObjectPermission,
        user,
        codename="change_intake" if for_change else "view_intake",
        unit_role=None if for_change else Role.MANAGER,
        superuser_sees_all=False,
    )


def may_change_intake(user: Any, intake: Intake) -> bool:
    """Whether this person may change this intake (its counsellor, a colleague it is shared with)."""
    return may_change_record(user, intake, IntakeUserObjectPermission, codename="change_intake", unit_role=None)


def intakes_for_user(user: Any, perm: str = "intake.view_intake") -> QuerySet[Intake]:
    """``visible_intakes`` by permission name (``intake.view_intake`` or ``intake.change_intake``)."""
    if perm not in ("intake.view_intake", "intake.change_intake"):
        raise ValueError(perm)
    return visible_intakes(user, for_change=perm == "intake.change_intake")


LIST_COLUMNS = (
    "id",
    "status",
    "cover_label",
    "created_at",
    "updated_at",
    "owner__id",
    "owner__username",
    "owner__first_name",
)


def intake_list_for_user(user: Any) -> QuerySet[Intake]:
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


def intake_tree_slug() -> str:
    """The question tree counsellors start a new intake with (``settings.INTAKE_TREE``; intake's system checks
    warn when it is empty)."""
    return str(getattr(settings, "INTAKE_TREE", "") or "")


def intake_tree_version(language: str) -> TreeVersion | None:
    """The version of the intake tree a new intake (or the statistics' names) uses in ``language``."""
    slug = intake_tree_slug()
    return current_tree_version(slug, language) if slug else None


def counsellor_unit_for(user: Any) -> Unit | None:
    """The unit a new intake of ``user`` belongs to: the first, by name, of those she is a counsellor in."""
    membership = (
        Membership.objects.filter(user=user, role=Role.COUNSELLOR).select_related("unit").order_by("unit__name").first()
    )
    return membership.unit if membership is not None else None


def addenda_for(intake: Intake) -> list[IntakeNoteAddendum]:
    """The journal note's addenda with their authors, oldest first."""
    return list(intake.addenda.select_related("author"))


# Question trees are not records about people: 404 here only says "no such version".


def get_tree_version(*, slug: str, language: str, number: int) -> TreeVersion:
    """One version of a tree, or Http404."""
    version = (
        TreeVersion.objects.select_related("tree").filter(tree__slug=slug, language=language, number=number).first()
    )
    if version is None:
        raise Http404
    return version


def tree_versions_all() -> QuerySet[TreeVersion]:
    """Every tree's versions, for the editors' list."""
    return TreeVersion.objects.select_related("tree").order_by("tree__slug", "language", "-number")


def tree_versions_other(version: TreeVersion) -> QuerySet[TreeVersion]:
    """The other versions of the same tree in the same language, newest first."""
    return (
        TreeVersion.objects.filter(tree=version.tree, language=version.language)
        .exclude(pk=version.pk)
        .order_by("-number")
    )


def tree_versions_of(*, slug: str, language: str) -> list[TreeVersion]:
    """A tree's versions in one language, oldest first."""
    return list(
        TreeVersion.objects.filter(tree__slug=slug, language=language).select_related("tree").order_by("number")
    )


# Which trees a unit's counsellors may start (UnitIntakeTree), and finding a tree version from a
# QuestionnaireResponse's reference.


def published_trees() -> list[QuestionTree]:
    """Every tree with at least one published version, by title."""
    return list(
        QuestionTree.objects.filter(versions__status=TreeVersion.Status.PUBLISHED).distinct().order_by("title", "slug")
    )


def enabled_trees_for_unit(unit: Unit) -> list[QuestionTree]:
    """The trees this unit's counsellors may start, by title: those chosen for it, or, until anyone has chosen,
    the default tree (``settings.INTAKE_TREE``). Only trees with a published version count."""
    chosen = UnitIntakeTree.objects.filter(unit=unit).values("tree")
    trees = QuestionTree.objects.filter(pk__in=chosen) if chosen.exists() else None
    if trees is None:
        slug = intake_tree_slug()
        trees = QuestionTree.objects.filter(slug=slug) if slug else QuestionTree.objects.none()
    return list(trees.filter(versions__status=TreeVersion.Status.PUBLISHED).distinct().order_by("title", "slug"))


def unit_has_chosen_trees(unit: Unit) -> bool:
    return UnitIntakeTree.objects.filter(unit=unit).exists()


def startable_tree_versions(unit: Unit, language: str) -> list[TreeVersion]:
    """The version of each tree enabled for ``unit`` that a new intake would use in ``language``."""
    versions = (current_tree_version(tree.slug, language) for tree in enabled_trees_for_unit(unit))
    return [version for version in versions if version is not None]


def tree_setting_units(user: Any) -> QuerySet[Unit]:
    """The units whose trees this person may choose: those she is an editor or a manager in."""
    return Unit.objects.filter(
        pk__in=Membership.objects.filter(user=user, role__in=[Role.EDITOR, Role.MANAGER]).values("unit")
    ).order_by("name")


def tree_version_for_reference(reference: str, language: str) -> tuple[TreeVersion | None, bool]:
    """The published tree version a QuestionnaireResponse's ``questionnaire`` names, and whether it is that
    exact version. A canonical url matches the Questionnaire documents' own ``url`` (and ``version`` when given);
    our URN names tree, language and number. When the exact version is not published, the newest published
    version of the same tree (``language``, else bokmål) stands in, with False."""
    parts = parse_reference(reference)
    published = TreeVersion.objects.filter(status=TreeVersion.Status.PUBLISHED).select_related("tree")
    if "url" in parts:
        same = published.filter(questionnaire__url=parts["url"])
        if parts["version"]:
            exact = same.filter(questionnaire__version=parts["version"])
            found = exact.filter(language=language).order_by("-number").first() or exact.order_by("-number").first()
            if found is not None:
                return found, True
        found = same.filter(language=language).order_by("-number").first() or same.order_by("-number").first()
        return found, found is not None and not parts["version"]
    if "slug" in parts:
        numbered = published.filter(
            tree__slug=parts["slug"], language=parts["language"], number=parts["number"]
        ).first()
        if numbered is not None:
            return numbered, True
        return current_tree_version(parts["slug"], parts["language"]), False
    return None, False


# Terminology (intake.terminology): not records about people; editors import them, anyone's tree may use them.


Terminology = TypeVar("Terminology", ValueSet, CodeSystem)


def _by_canonical(rows: QuerySet[Terminology], canonical: str) -> Terminology | None:
    """The row a canonical reference names: ``url|version`` exactly, or ``url`` alone the latest imported."""
    url, _bar, version = canonical.partition("|")
    rows = rows.filter(url=url)
    if version:
        rows = rows.filter(version=version)
    return rows.order_by("-imported_at", "-pk").first()


def value_set_by_canonical(canonical: str) -> ValueSet | None:
    return _by_canonical(ValueSet.objects.all(), canonical)


def code_system_by_canonical(canonical: str) -> CodeSystem | None:
    return _by_canonical(CodeSystem.objects.all(), canonical)


def value_sets_all() -> QuerySet[ValueSet]:
    """The list of imported ValueSets, without their documents and concepts."""
    return ValueSet.objects.defer("resource", "concepts").order_by("url", "-imported_at", "-pk")


def code_systems_all() -> QuerySet[CodeSystem]:
    """The list of imported CodeSystems, without their documents."""
    return CodeSystem.objects.defer("resource").order_by("url", "-imported_at", "-pk")
