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
from routines.emergency import NumberChange, emergency_number_problems, number_changes
from routines.models import Routine, RoutineVersion

REVIEW_INTERVAL = timedelta(days=365)


def _search_text(content: dict, lang: str) -> str:
    parts = []
    for section in content.get("sections", []):
        parts.append(section.get("title", {}).get(lang, ""))
        parts.extend(step.get(lang, "") for step in section.get("steps", []))
    for contact in content.get("contacts", []):
        parts.extend([contact.get("label", {}).get(lang, ""), contact.get("number", "")])
    for role in content.get("roles", []):
        parts.append(role.get("title", {}).get(lang, ""))
        parts.extend(duty.get(lang, "") for duty in role.get("duties", []))
        parts.append(role.get("holder", {}).get(lang, ""))
    for item in content.get("agenda", []):
        parts.extend([item.get("title", {}).get(lang, ""), item.get("say", {}).get(lang, "")])
        parts.extend(q.get(lang, "") for q in item.get("questions", []))
    return "\n".join(p for p in parts if p)


@transaction.atomic
def routine_version_create(
    *,
    routine: Routine,
    user: User | None,
    title_nb: str,
    title_en: str,
    summary_nb: str,
    summary_en: str,
    content: dict,
) -> RoutineVersion:
    """A new draft, numbered after the routine's latest version (``user`` None: shipped content, made by
    ``manage.py bootstrap``). Published versions are never touched."""
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


def publish_problems(content: dict) -> list[str]:
    """Everything that stops a version's content from being published, each saying what to fix. The editor
    shows the same list as warnings on every draft save."""
    return validate_content(content) + emergency_number_problems(content)


def _published_content(version: RoutineVersion) -> dict | None:
    current = (
        version.routine.versions.filter(status=RoutineVersion.Status.PUBLISHED, number__lt=version.number)
        .order_by("-number")
        .first()
    )
    return current.content if current is not None else None


def version_number_changes(version: RoutineVersion) -> list[NumberChange]:
    """The phone numbers this version changes against the routine's published version."""
    return number_changes(_published_content(version), version.content)


def _publish(
    *, version: RoutineVersion, publisher: User, approver: User, next_review: date | None, **fields: object
) -> RoutineVersion:
    today = timezone.localdate()
    version.status = RoutineVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = publisher
    version.approved_by = approver
    version.approved_at = today
    version.next_review = next_review or today + REVIEW_INTERVAL
    for name, value in fields.items():
        setattr(version, name, value)
    version.save()
    # A new version is the revision asked for: the routine leaves the review list.
    Routine.objects.filter(pk=version.routine_id).update(
        revision_requested_at=None, revision_requested_by=None, revision_note=""
    )
    audit_log(actor=approver, action="routine.published", target=version, unit=version.routine.owner_unit)
    return version


@transaction.atomic
def routine_version_submit(*, version: RoutineVersion, user: User) -> RoutineVersion:
    """Ask for the draft, as saved now, to be published. Another editor of the unit or its manager approves it
    (routine_version_approve). Raises ValidationError listing what to fix first."""
    version = RoutineVersion.objects.select_for_update().select_related("routine").get(pk=version.pk)
    if version.status != RoutineVersion.Status.DRAFT:
        raise ValidationError(_("Only a draft can be published."))
    problems = publish_problems(version.content)
    if problems:
        raise ValidationError(problems)
    version.submitted_by = user
    version.submitted_at = timezone.now()
    version.submitted_token = version.state_token()
    version.save(update_fields=["submitted_by", "submitted_at", "submitted_token"])
    audit_log(actor=user, action="routine.submitted", target=version, unit=version.routine.owner_unit)
    return version


@transaction.atomic
def routine_version_approve(
    *, version: RoutineVersion, user: User, numbers_confirmed: bool, next_review: date | None = None
) -> RoutineVersion:
    """The second person approves the draft as it was asked for, and it is published at once. The approver
    must not be the editor who asked, and must confirm every phone number change by hand. Raises
    ValidationError saying what stands in the way."""
    version = RoutineVersion.objects.select_for_update().select_related("routine__owner_unit").get(pk=version.pk)
    if version.status != RoutineVersion.Status.DRAFT:
        raise ValidationError(_("This version is published already."))
    if version.submitted_by_id is None:
        raise ValidationError(_("Nobody has asked for this draft to be published yet."))
    if version.submitted_token != version.state_token():
        raise ValidationError(
            _("The draft was changed after it was sent for approval. Its editor must send it for approval again.")
        )
    if version.submitted_by_id == user.pk:
        raise ValidationError(
            _("You asked for this draft to be published. Another editor of the unit or its manager must approve it.")
        )
    problems = publish_problems(version.content)
    if problems:
        raise ValidationError(problems)
    if version_number_changes(version) and not numbers_confirmed:
        raise ValidationError(
            _("Check each changed phone number against its source, then tick that you have checked them.")
        )
    assert version.submitted_by is not None
    audit_log(actor=user, action="routine.approved", target=version, unit=version.routine.owner_unit)
    return _publish(
        version=version,
        publisher=version.submitted_by,
        approver=user,
        next_review=next_review,
        numbers_confirmed=numbers_confirmed,
    )


@transaction.atomic
def routine_version_publish_demo(*, version: RoutineVersion, user: User) -> RoutineVersion:
    """Publish a seeded version directly, without a second person: only for the demo and test worlds
    (routines.demo). The version is marked as approved by the demo, so no one mistakes it for a real approval."""
    if version.status != RoutineVersion.Status.DRAFT:
        raise ValidationError(_("Only a draft can be published."))
    problems = publish_problems(version.content)
    if problems:
        raise ValidationError(problems)
    return _publish(version=version, publisher=user, approver=user, next_review=None, approved_by_demo=True)


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
    if [title_nb, title_en, summary_nb, summary_en, content] == [
        version.title_nb,
        version.title_en,
        version.summary_nb,
        version.summary_en,
        version.content,
    ]:
        # Nothing changed (moving between the editor's parts saves each one): no write, no audit event, and no
        # conflict, since nothing typed would replace anyone's save.
        return version
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


@transaction.atomic
def routine_revision_request(*, routine: Routine, user: User, note: str) -> Routine:
    """Put ``routine`` on its unit's review list as needing revision, with a short note saying why (an
    exercise's findings, say). It stays there until a new version is published. Asking again keeps the first
    date and replaces the note."""
    note = note.strip()[:300]
    routine = Routine.objects.select_for_update().get(pk=routine.pk)
    routine.revision_requested_at = routine.revision_requested_at or timezone.now()
    routine.revision_requested_by = user
    routine.revision_note = note
    routine.save(update_fields=["revision_requested_at", "revision_requested_by", "revision_note"])
    audit_log(actor=user, action="routine.revision_requested", target=routine, unit=routine.owner_unit)
    return routine
