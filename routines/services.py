import copy
from datetime import date, timedelta

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Unit
from audit.services import audit_log
from routines.content import LANGS, validate_content
from routines.models import Routine, RoutineVersion

REVIEW_INTERVAL = timedelta(days=365)


def _search_text(content: dict, lang: str) -> str:
    parts = []
    for section in content.get("sections", []):
        parts.append(section.get("title", {}).get(lang, ""))
        parts.extend(step.get(lang, "") for step in section.get("steps", []))
    for contact in content.get("contacts", []):
        parts.extend([contact.get("label", {}).get(lang, ""), contact.get("number", "")])
    for item in content.get("agenda", []):
        parts.extend([item.get("title", {}).get(lang, ""), item.get("say", {}).get(lang, "")])
        parts.extend(q.get(lang, "") for q in item.get("questions", []))
    return "\n".join(p for p in parts if p)


@transaction.atomic
def routine_version_create(
    *, routine: Routine, user: User, title_nb: str, title_en: str, summary_nb: str, summary_en: str, content: dict
) -> RoutineVersion:
    """A new draft, numbered after the routine's latest version. Published versions are never touched."""
    latest = routine.versions.select_for_update().aggregate(n=Max("number"))["n"] or 0
    fields = {f"search_text_{lang}": _search_text(content, lang) for lang in LANGS}
    return RoutineVersion.objects.create(
        routine=routine,
        number=latest + 1,
        title_nb=title_nb,
        title_en=title_en,
        summary_nb=summary_nb,
        summary_en=summary_en,
        content=content,
        created_by=user,
        **fields,
    )


@transaction.atomic
def routine_version_publish(*, version: RoutineVersion, user: User, next_review: date | None = None) -> RoutineVersion:
    """Approve and publish a draft. Raises ValidationError listing what to fix first."""
    if version.status != RoutineVersion.Status.DRAFT:
        raise ValidationError(_("Only a draft can be published."))
    problems = validate_content(version.content)
    if problems:
        raise ValidationError(problems)
    today = timezone.localdate()
    version.status = RoutineVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.approved_by = user
    version.approved_at = today
    version.next_review = next_review or today + REVIEW_INTERVAL
    version.save(update_fields=["status", "published_at", "approved_by", "approved_at", "next_review"])
    audit_log(actor=user, action="routine.published", target=version, unit=version.routine.owner_unit)
    return version


@transaction.atomic
def routine_create(
    *, user: User, slug: str, category: str, kind: str, owner_unit: Unit, staff_only: bool, title_nb: str, title_en: str
) -> RoutineVersion:
    """A new routine with an empty first draft. Returns the draft."""
    routine = Routine.objects.create(
        slug=slug, category=category, kind=kind, owner_unit=owner_unit, staff_only=staff_only, editor=user
    )
    audit_log(actor=user, action="routine.created", target=routine, unit=owner_unit)
    return routine_version_create(
        routine=routine, user=user, title_nb=title_nb, title_en=title_en, summary_nb="", summary_en="", content={}
    )


@transaction.atomic
def routine_draft_start(*, routine: Routine, user: User) -> RoutineVersion:
    """The routine's open draft, or a new one copied from its latest version (published or not)."""
    latest = routine.versions.select_for_update().order_by("-number").first()
    if latest is not None and latest.status == RoutineVersion.Status.DRAFT:
        return latest
    source = latest or RoutineVersion(title_nb="", title_en="", summary_nb="", summary_en="", content={})
    draft = routine_version_create(
        routine=routine,
        user=user,
        title_nb=source.title_nb,
        title_en=source.title_en,
        summary_nb=source.summary_nb,
        summary_en=source.summary_en,
        content=copy.deepcopy(source.content),
    )
    audit_log(actor=user, action="routine.draft_created", target=draft, unit=routine.owner_unit)
    return draft


@transaction.atomic
def routine_version_update(
    *,
    version: RoutineVersion,
    user: User,
    title_nb: str,
    title_en: str,
    summary_nb: str,
    summary_en: str,
    content: dict,
    base_token: str,
) -> RoutineVersion:
    """Save an edited draft made from the state named by ``base_token`` (RoutineVersion.state_token). A
    published version is never changed, and a draft someone else saved meanwhile is not overwritten."""
    version = RoutineVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != RoutineVersion.Status.DRAFT:
        raise ValidationError(_("A published version never changes. Make a new draft instead."))
    if base_token != version.state_token():
        raise ValidationError(
            _(
                "Someone else saved this draft while you were editing it. Your text is still in the form: "
                "open the preview in a new tab to see their version, then save again to replace it with yours."
            ),
            code="conflict",
        )
    version.title_nb, version.title_en = title_nb, title_en
    version.summary_nb, version.summary_en = summary_nb, summary_en
    version.content = content
    for lang in LANGS:
        setattr(version, f"search_text_{lang}", _search_text(content, lang))
    version.save()
    audit_log(actor=user, action="routine.edited", target=version, unit=version.routine.owner_unit)
    return version
