"""Reading routines: what is published, and search."""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from routines.models import Routine, RoutineVersion

PG_CONFIG = {"nb": "norwegian", "en": "english"}

AnyUser = User | AnonymousUser


def latest_versions(versions: QuerySet[RoutineVersion]) -> dict[int, RoutineVersion]:
    """{routine id: its highest-numbered version among ``versions``}. One query."""
    latest: dict[int, RoutineVersion] = {}
    for version in versions.select_related("routine").order_by("routine_id", "-number"):
        latest.setdefault(version.routine_id, version)
    return latest


def current_versions(*, user: AnyUser | None = None, **filters: Any) -> list[RoutineVersion]:
    """The highest-numbered published version of each routine matching ``filters`` that this user may open
    (staff-only routines are left out for anonymous users; ``user=None`` means every routine). One query."""
    versions = RoutineVersion.objects.filter(status=RoutineVersion.Status.PUBLISHED, **filters)
    if user is not None and not user.is_authenticated:
        versions = versions.filter(routine__staff_only=False)
    return list(latest_versions(versions).values())


def published_versions(*, user: AnyUser, query: str = "", lang: str = "nb") -> list[RoutineVersion]:
    """The current version of every routine this user may open; with ``query``, only those matching it
    (a second query)."""
    current = current_versions(user=user)
    if query.strip():
        matching = _matching_version_ids([v.pk for v in current], query, lang)
        return [v for v in current if v.pk in matching]
    return current


def _matching_version_ids(ids: list[int], query: str, lang: str) -> set[int]:
    versions = RoutineVersion.objects.filter(pk__in=ids)
    if connection.vendor == "postgresql":
        vector = SearchVector(f"title_{lang}", f"summary_{lang}", f"search_text_{lang}", config=PG_CONFIG[lang])
        search = SearchQuery(query, search_type="websearch", config=PG_CONFIG[lang])
        versions = versions.annotate(document=vector).filter(
            Q(document=search) | Q(**{f"title_{lang}__icontains": query.strip()})
        )
    else:
        for word in query.split():
            versions = versions.filter(
                Q(**{f"title_{lang}__icontains": word})
                | Q(**{f"summary_{lang}__icontains": word})
                | Q(**{f"search_text_{lang}__icontains": word})
            )
    return set(versions.values_list("pk", flat=True))


def get_published_routine(slug: str) -> RoutineVersion:
    """The routine's current published version, or 404. Whether a staff-only routine may be shown is the
    view's decision (it sends anonymous users to the login page)."""
    version = (
        RoutineVersion.objects.filter(routine__slug=slug, status=RoutineVersion.Status.PUBLISHED)
        .select_related("routine", "approved_by", "published_by")
        .order_by("-number")
        .first()
    )
    if version is None:
        raise Http404
    return version


def publication_stamp() -> str:
    """Changes whenever any routine is published: the number of published versions and the latest
    publication time. What a cached page that lists routines (the list, a page's related routines) is keyed
    on. One query, in plain SQL for the reason ``published_page_key`` gives."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*), MAX(published_at) FROM {RoutineVersion._meta.db_table} WHERE status = %s",  # nosec B608
            [RoutineVersion.Status.PUBLISHED.value],
        )
        count, latest = cursor.fetchone()
    return f"{count}.{str(latest).replace(' ', 'T')}"


def published_page_key(slug: str) -> tuple[str, bool, str] | None:
    """(cache key, staff only, kind) of the routine's current published version, or None if it has none.
    The key names the version and every publication (``publication_stamp``), so publishing anything changes
    it. One query, and no model built: what an anonymous reader's cached page costs.

    Plain SQL on purpose: this runs before every cached page, and building the same query with the ORM (a
    join and two subqueries) cost several times more than running it."""
    versions = RoutineVersion._meta.db_table
    routines = Routine._meta.db_table
    published = RoutineVersion.Status.PUBLISHED.value
    with connection.cursor() as cursor:
        cursor.execute(
            # Table names from the models; every value is a parameter.
            f"SELECT v.id, r.staff_only, r.kind,"  # nosec B608
            f" (SELECT COUNT(*) FROM {versions} WHERE status = %s),"
            f" (SELECT MAX(published_at) FROM {versions} WHERE status = %s)"
            f" FROM {versions} v JOIN {routines} r ON r.id = v.routine_id"
            f" WHERE r.slug = %s AND v.status = %s ORDER BY v.number DESC LIMIT 1",
            [published, published, slug, published],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    pk, staff_only, kind, count, latest = row
    stamp = str(latest).replace(" ", "T")
    return f"{slug}.{pk}.{count}.{stamp}", bool(staff_only), kind


def related_routines(version: RoutineVersion, *, user: AnyUser) -> list[RoutineVersion]:
    """The current versions of the routines this one links to, in its order, that this user may open."""
    slugs = [s for s in version.content.get("related", []) if s != version.routine.slug]
    if not slugs:
        return []
    current = {v.routine.slug: v for v in current_versions(user=user, routine__slug__in=slugs)}
    return [current[s] for s in slugs if s in current]


def overdue_versions(*, routines: QuerySet[Routine] | Iterable[Routine]) -> list[RoutineVersion]:
    """The current published version of each of ``routines`` whose next review date has passed, most overdue
    first."""
    versions = current_versions(routine__in=routines)
    today = timezone.localdate()
    return sorted((v for v in versions if v.is_overdue(today)), key=lambda v: v.next_review or date.min)


def routines_needing_revision(*, routines: QuerySet[Routine]) -> list[tuple[Routine, RoutineVersion | None]]:
    """(routine, its latest version) for those of ``routines`` someone marked as needing revision (an
    exercise's findings), longest waiting first. Two queries."""
    marked = list(routines.filter(revision_requested_at__isnull=False).order_by("revision_requested_at"))
    latest = latest_versions(RoutineVersion.objects.filter(routine__in=marked)) if marked else {}
    return [(routine, latest.get(routine.pk)) for routine in marked]


def related_routine_choices(*, exclude: Routine) -> list[tuple[str, str]]:
    """(slug, title of its latest version) for every other routine, by title: what an editor picks related
    routines from. One query."""
    latest = latest_versions(RoutineVersion.objects.exclude(routine=exclude))
    return sorted(((v.routine.slug, v.title) for v in latest.values()), key=lambda choice: choice[1].lower())


def related_titles(versions: Iterable[RoutineVersion]) -> dict[str, str]:
    """{slug: title of its latest version} for every routine these versions name as related: what the diff
    shows instead of slugs. One query."""
    slugs = {slug for version in versions for slug in version.content.get("related", [])}
    latest = latest_versions(RoutineVersion.objects.filter(routine__slug__in=slugs))
    return {v.routine.slug: v.title for v in latest.values()}


def routines_with_latest_version(routines: QuerySet[Routine]) -> list[tuple[Routine, RoutineVersion | None]]:
    """(routine, its highest-numbered version, published or not) for each of ``routines``: the editor's list.
    Two queries."""
    routine_list = list(routines.select_related("owner_unit"))
    latest = latest_versions(RoutineVersion.objects.filter(routine__in=routine_list))
    return [(routine, latest.get(routine.pk)) for routine in routine_list]


def version_history(routine: Routine) -> list[RoutineVersion]:
    """Every version of ``routine``, newest first, with who made and approved it."""
    return list(
        routine.versions.select_related("approved_by", "created_by", "published_by", "submitted_by").order_by("-number")
    )


def versions_by_number(routine: Routine) -> dict[int, RoutineVersion]:
    """{number: version} for every version of ``routine``: what the diff picks two from."""
    return {v.number: v for v in routine.versions.select_related("submitted_by")}
