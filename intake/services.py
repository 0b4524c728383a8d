"""Writes for question trees and intakes. Each function is one user action, atomic."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from accounts.models import Membership, Unit
from accounts.roles import Role
from audit.services import audit_log
from intake import terminology
from intake.attachments import CheckedAttachment, attachment_ids
from intake.evaluator import Evaluation, prune
from intake.expressions import launch_context
from intake.finalize import draft_note, statistic_fields
from intake.models import (
    CodeSystem,
    Intake,
    IntakeAttachment,
    IntakeNoteAddendum,
    IntakeStatistic,
    QuestionTree,
    TreeVersion,
    UnitIntakeTree,
    ValueSet,
)
from intake.navigation import start_answers
from intake.questionnaire import Tree, tree_problems
from intake.repeats import is_repeating_group
from intake.selectors import code_system_by_canonical, value_set_by_canonical

LANGUAGES = {code for code, _label in TreeVersion.Language.choices}


# Letters slugify would drop: the Norwegian ones written out as Norwegians do without them.
TRANSLITERATE = str.maketrans({"æ": "ae", "Æ": "Ae", "ø": "o", "Ø": "O", "å": "aa", "Å": "Aa"})
FHIR_STATUSES = {"draft", "active", "retired", "unknown"}


def short_name(text: str) -> str:
    """A readable slug: æ, ø and å transliterated (ae, o, aa), other accents stripped by slugify."""
    return slugify(text.translate(TRANSLITERATE))


def tree_key_for(doc: dict) -> str:
    """What a Questionnaire is: its canonical ``url``, else its ``name``, ``title`` or ``id``."""
    for key in ("url", "name", "title", "id"):
        value = doc.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def tree_slug_for(doc: dict) -> str:
    """The readable short name for a new tree: from the Questionnaire's ``name`` (FHIR's computer-friendly
    name), else its ``title``, ``id`` or the last part of its ``url``; not checked against the slug's length."""
    url_tail = (doc.get("url") or "").rstrip("/").rsplit("/", 1)[-1]
    for value in (doc.get("name"), doc.get("title"), doc.get("id"), url_tail):
        if isinstance(value, str) and short_name(value):
            return short_name(value)
    return ""


def _slug_limit() -> int:
    return QuestionTree._meta.get_field("slug").max_length or 50


def _free_slug(base: str) -> str:
    """``base`` cut to the slug column (at a hyphen where it can be), made unique with -2, -3, ... ."""
    limit = _slug_limit()

    def cut(text: str, room: int) -> str:
        if len(text) <= room:
            return text
        head = text[:room]
        return (head.rsplit("-", 1)[0] if "-" in head[room // 2 :] else head).strip("-")

    slug, n = cut(base, limit), 1
    while QuestionTree.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{cut(base, limit - len(str(n)) - 1)}-{n}"
    return slug


def _tree_for(doc: dict, tree_slug: str) -> QuestionTree:
    """The tree a Questionnaire is filed under: the one chosen (``tree_slug``, created if new), else the one
    with its canonical key (url, name, title, id), else a new one with a free readable short name."""
    key = tree_key_for(doc)
    limit = _slug_limit()
    title = (doc.get("title") or doc.get("name") or tree_slug or key)[:200]
    if len(key) > QuestionTree._meta.get_field("canonical").max_length:
        raise ValidationError(_("The Questionnaire's url is longer than 1000 characters."))
    if tree_slug:
        if len(tree_slug) > limit:
            raise ValidationError(
                _("The tree's short name %(slug)s is longer than %(limit)d characters; choose a shorter one.")
                % {"slug": tree_slug, "limit": limit}
            )
        if tree_slug != slugify(tree_slug):
            raise ValidationError(
                _("The tree's short name %(slug)s may hold only lowercase letters a-z, digits and hyphens.")
                % {"slug": tree_slug}
            )
        tree, created = QuestionTree.objects.get_or_create(slug=tree_slug, defaults={"title": title, "canonical": key})
        if not created and not tree.canonical and key:
            tree.canonical = key
            tree.save(update_fields=["canonical"])
        return tree
    if not key:
        raise ValidationError(
            _("The Questionnaire has no url, name, title or id to file it under; give the tree's short name.")
        )
    tree = QuestionTree.objects.filter(canonical=key).order_by("pk").first()
    if tree is not None:
        return tree
    slug = tree_slug_for(doc) or short_name(key)
    if not slug:
        raise ValidationError(
            _("The Questionnaire's name gives no short name (no letters or digits); give the tree's short name.")
        )
    return QuestionTree.objects.create(slug=_free_slug(slug), title=title, canonical=key)


def _language_for(doc: dict, language: str) -> str:
    language = (language or doc.get("language") or "").split("-")[0].lower()
    if not language:
        raise ValidationError(_("The Questionnaire has no language; give the language (nb or en)."))
    if language not in LANGUAGES:
        raise ValidationError(
            _("The Questionnaire's language must be nb or en (found %(found)s); give the language.")
            % {"found": language or "-"}
        )
    return language


@transaction.atomic
def tree_version_create(*, doc: dict, user=None, tree_slug: str = "", language: str = "") -> TreeVersion:
    """Store a validated Questionnaire as a new draft version of its tree, numbered after that language's
    latest. The tree is the one named by ``tree_slug``, or the one the document's canonical url (name, title,
    id) belongs to, created on first import. Raises ValidationError saying what is missing."""
    language = _language_for(doc, language)
    tree = _tree_for(doc, tree_slug)
    latest = (
        TreeVersion.objects.select_for_update().filter(tree=tree, language=language).aggregate(n=Max("number"))["n"]
        or 0
    )
    status = doc.get("status") if doc.get("status") in FHIR_STATUSES else "draft"
    version = TreeVersion.objects.create(
        tree=tree,
        number=latest + 1,
        language=language,
        questionnaire=doc,
        created_by=user,
        fhir_version=str(doc.get("version") or "")[:100],
        fhir_status=status,
    )
    audit_log(actor=user, action="intake_tree.version_created", target=version)
    return version


@dataclass
class TreeImport:
    version: TreeVersion
    created: bool  # False: the same document was already there (``version`` is that one)
    notices: list[str]  # what the editor should know about how it was filed


@transaction.atomic
def tree_version_import(
    *, doc: dict, user=None, tree_slug: str = "", language: str = "", file_name: str = ""
) -> TreeImport:
    """An editor's import (upload or import_questionnaire): a new draft version as ``tree_version_create``
    makes it, unless the tree already has this very document in this language, which is then left as it is
    (``created`` False): re-importing a file changes nothing. A document with no url, name, title or id is
    filed under its ``file_name`` (made a short name) when there is one."""
    notices = []
    if not tree_slug and not tree_key_for(doc) and short_name(file_name):
        tree_slug = short_name(file_name)[: _slug_limit()].strip("-")
        notices.append(
            _("The Questionnaire has no url, name, title or id; it is filed under its file name, as %(slug)s.")
            % {"slug": tree_slug}
        )
    language = _language_for(doc, language)
    tree = _tree_for(doc, tree_slug)
    for existing in TreeVersion.objects.filter(tree=tree, language=language).order_by("-number"):
        if existing.questionnaire == doc:
            return TreeImport(version=existing, created=False, notices=notices)
    return TreeImport(
        version=tree_version_create(doc=doc, user=user, tree_slug=tree.slug, language=language),
        created=True,
        notices=notices,
    )


@transaction.atomic
def tree_version_publish(*, version: TreeVersion, user=None, allow_draft: bool = True) -> TreeVersion:
    """Publish a draft: from now on it never changes. Re-checks the document first. The editors' paths (the
    version page, import_questionnaire) pass ``allow_draft`` as the editor chose it: a Questionnaire whose
    FHIR status is draft is then published only when she says so."""
    version = TreeVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_published:
        raise ValidationError(_("Only a draft can be published."))
    if version.fhir_status == "draft" and not allow_draft:
        raise ValidationError(_("The Questionnaire's status is draft: confirm that you mean to publish a draft."))
    problems = tree_problems(version.questionnaire)
    if problems:
        raise ValidationError(problems)
    version.status = TreeVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = user
    version.save(update_fields=["status", "published_at", "published_by"])
    audit_log(actor=user, action="intake_tree.version_published", target=version)
    return version


# Intakes


@transaction.atomic
def intake_set_cover_label(*, intake: Intake, user, label: str) -> Intake:
    """Give a draft the counsellor's cover label (empty removes it). The label itself is not audited: only that
    it changed."""
    intake = Intake.objects.select_for_update().get(pk=intake.pk)
    label = label.strip()
    if intake.cover_label != label:
        intake.cover_label = label
        intake.save(update_fields=["cover_label"])
        audit_log(actor=user, action="intake.labelled", target=intake, unit=intake.unit)
    return intake


class RevisionConflict(Exception):
    """The intake was saved from another page (another tab) since this one was loaded."""

    def __init__(self, intake: Intake):
        super().__init__("revision conflict")
        self.intake = intake


@transaction.atomic
def intake_create(*, user, unit: Unit, tree_version: TreeVersion, pk=None) -> Intake:
    """A new draft intake owned by ``user``, pinned to ``tree_version``; granted to its owner (view, change);
    the unit's managers read it through their memberships (``intake.selectors.visible_intakes``). ``pk`` is for demo data and tests that need a known id; otherwise
    a random UUID."""
    if not tree_version.is_published:
        raise ValidationError(_("Only a published question tree can be used for an intake."))
    tree = Tree(tree_version.questionnaire)
    intake = Intake.objects.create(
        **({"id": pk} if pk else {}),
        owner=user,
        unit=unit,
        tree_version=tree_version,
        current_step=tree.steps[0].link_id if tree.steps else "",
        answers=start_answers(tree),
    )
    assign_perm("intake.view_intake", user, intake)
    assign_perm("intake.change_intake", user, intake)
    audit_log(actor=user, action="intake.created", target=intake, unit=unit)
    return intake


@transaction.atomic
def intake_create_from_response(*, user, unit: Unit, tree_version: TreeVersion, answers: dict[str, list]) -> Intake:
    """A new draft intake prefilled with the answers read from a QuestionnaireResponse
    (``intake.response.response_to_answers``). Answers whose conditions do not hold are left out, as on every
    save; the counsellor continues in the wizard from the first step."""
    intake = intake_create(user=user, unit=unit, tree_version=tree_version)
    tree = Tree(tree_version.questionnaire)
    # The tree's initial answers where the response gives none; read-only and hidden ones as the tree says.
    locked = {k: v for k, v in intake.answers.items() if k in tree.by_link_id and tree.by_link_id[k].is_locked}
    answers, _cleared = prune(tree, {**intake.answers, **answers, **locked}, launch=launch_context(unit))
    if answers != intake.answers:
        intake.answers = answers
        intake.revision += 1
        intake.save(update_fields=["answers", "revision"])
    audit_log(actor=user, action="intake.imported", target=intake, unit=unit)
    return intake


@transaction.atomic
def unit_intake_trees_set(*, unit: Unit, trees: list[QuestionTree], user) -> None:
    """Choose the trees ``unit``'s counsellors may start. At least one: with none, nobody could start an
    intake. Intakes already started keep their tree."""
    if not trees:
        raise ValidationError(_("Choose at least one question tree, or counsellors cannot start an intake."))
    if any(not tree.versions.filter(status=TreeVersion.Status.PUBLISHED).exists() for tree in trees):
        raise ValidationError(_("Only a question tree with a published version can be used for intakes."))
    UnitIntakeTree.objects.filter(unit=unit).exclude(tree__in=trees).delete()
    for tree in trees:
        UnitIntakeTree.objects.get_or_create(unit=unit, tree=tree, defaults={"enabled_by": user})
    audit_log(actor=user, action="intake.unit_trees_changed", unit=unit)


@transaction.atomic
def intake_share(*, intake: Intake, by, with_user) -> None:
    """Let a colleague in the intake's unit see and change it. Only counsellors of the same unit qualify."""
    if not Membership.objects.filter(user=with_user, unit=intake.unit, role=Role.COUNSELLOR).exists():
        raise ValidationError(_("An intake can only be shared with a counsellor in its own unit."))
    assign_perm("intake.view_intake", with_user, intake)
    assign_perm("intake.change_intake", with_user, intake)
    audit_log(actor=by, action="intake.shared", target=intake, unit=intake.unit)


@dataclass
class StepSaved:
    intake: Intake
    cleared: list[str]
    changed: bool
    # Not saved because it would have cleared answers on other steps (only asked for by autosave).
    held_back: bool = False


@transaction.atomic
def intake_save_step(
    *,
    intake: Intake,
    user,
    step: str,
    values: dict[str, list],
    revision: int,
    next_step: str,
    autosave: bool = False,
    uploads: dict[str, CheckedAttachment] | None = None,
) -> StepSaved:
    """Replace one step's answers, clear every answer whose conditions no longer hold (FHIR semantics), and
    move on to ``next_step``.

    An ``autosave`` (in the background: nobody sees it happen) that would clear answers on other steps is not
    saved at all (``held_back``): an answer flipped by mistake must not silently wipe later steps; the
    counsellor's own "Save" does it and says what it cleared. Autosaves are logged under their own code, so
    that the counsellor's own saves stand out in the access log.

    ``revision`` is the one the counsellor's page was loaded with. If the intake was saved since, the save is
    refused with RevisionConflict, unless it would change nothing (the same form sent twice), which is a
    harmless no-op.

    ``uploads`` are files newly chosen for the step's attachment questions (checked by the form): stored with
    the save, each replacing the question's earlier file. An attachment question not in ``values`` keeps its
    saved file (a file input cannot show it again); one given as ``[]`` is removed. Files no answer refers to
    any longer are deleted.
    """
    intake = Intake.objects.select_for_update().get(pk=intake.pk)
    if not intake.is_draft:
        raise ValidationError(_("This intake is finalized; its answers can no longer be changed."))
    tree = Tree(intake.tree_version.questionnaire)
    # The step's keys in the answers: its questions, and its repeating groups with their instances inside.
    # Read-only and hidden answers are never the step's to replace: they keep their initial value.
    step_ids = {
        item.link_id
        for item in tree.items
        if (item.is_question or is_repeating_group(item)) and item.step.link_id == step and not item.is_locked
    }
    merged = {k: v for k, v in intake.answers.items() if k not in step_ids}
    merged.update({k: v for k, v in values.items() if k in step_ids and v})
    for link_id in step_ids:
        if tree.by_link_id[link_id].type == "attachment" and link_id not in values and intake.answers.get(link_id):
            merged[link_id] = intake.answers[link_id]
    new_files = [
        (IntakeAttachment(intake=intake, link_id=link_id), checked)
        for link_id, checked in (uploads or {}).items()
        if link_id in step_ids
    ]
    for row, checked in new_files:
        merged[row.link_id] = [
            {
                "contentType": checked.kind.content_type,
                "title": checked.name,
                "size": len(checked.data),
                "url": row.reference,
                "creation": timezone.now().isoformat(timespec="seconds"),
            }
        ]
    answers, cleared = prune(tree, merged, launch=launch_context(intake.unit))
    if autosave and any(link_id not in step_ids for link_id in cleared):
        return StepSaved(intake=intake, cleared=cleared, changed=False, held_back=True)
    if answers == intake.answers:
        if revision == intake.revision and intake.current_step != next_step:
            intake.current_step = next_step
            intake.save(update_fields=["current_step"])
        return StepSaved(intake=intake, cleared=[], changed=False)
    if revision != intake.revision:
        raise RevisionConflict(intake)
    intake.answers = answers
    intake.current_step = next_step
    intake.revision += 1
    intake.updated_at = timezone.now()
    intake.save(update_fields=["answers", "current_step", "revision", "updated_at"])
    _store_attachments(intake=intake, user=user, new_files=new_files)
    if autosave:
        audit_log(actor=user, action="intake.autosaved", target=intake, unit=intake.unit)
    else:
        audit_log(actor=user, action="intake.changed", target=intake, unit=intake.unit)
    return StepSaved(intake=intake, cleared=cleared, changed=True)


def _store_attachments(*, intake: Intake, user, new_files: list) -> None:
    """Store the step's new files that the answers still refer to; delete the files no answer refers to."""
    referenced = attachment_ids(intake.answers)
    stored: list[str] = []
    try:
        for row, checked in new_files:
            if str(row.pk) not in referenced:
                continue  # its question was disabled by this very save
            row.name, row.content_type, row.extension = checked.name, checked.kind.content_type, checked.kind.extension
            row.size, row.uploaded_by = len(checked.data), user
            row.scan = IntakeAttachment.Scan.CLEAN if checked.clean else IntakeAttachment.Scan.NOT_SCANNED
            row.file.save(f"upload.{checked.kind.extension}", ContentFile(checked.data), save=False)
            stored.append(row.file.name)
            row.save()
    except BaseException:
        for name in stored:  # the transaction rolls back: leave no file without its row
            IntakeAttachment._meta.get_field("file").storage.delete(name)
        raise
    intake_attachments_delete(intake.attachments.exclude(pk__in=referenced))


def intake_attachments_delete(rows) -> int:
    """Delete attachment rows, and their files once the transaction has committed. Returns how many."""
    rows = list(rows)
    names = [row.file.name for row in rows if row.file]
    IntakeAttachment.objects.filter(pk__in=[row.pk for row in rows]).delete()
    if names:
        storage = IntakeAttachment._meta.get_field("file").storage
        transaction.on_commit(lambda: [storage.delete(name) for name in names])
    return len(rows)


@transaction.atomic
def intake_finalize(
    *,
    intake: Intake,
    user,
    offered_help: str,
    offered_reason: str,
    information: dict[str, bool],
    open_reason: str = "",
) -> Intake:
    """Record the help offered and the information given, draft the journal note, lock the answers and write
    the anonymous statistics row. Finalizing an already finalized intake changes nothing (a second tab or a
    double click), and returns it as it is."""
    intake = Intake.objects.select_for_update().select_related("tree_version").get(pk=intake.pk)
    if not intake.is_draft:
        return intake
    tree = Tree(intake.tree_version.questionnaire)
    evaluation = Evaluation(tree, intake.answers, launch=launch_context(intake.unit))
    now = timezone.now()
    intake.status = Intake.Status.FINALIZED
    intake.finalized_at = now
    intake.finalized_by = user
    intake.offered_help = offered_help
    intake.offered_reason = offered_reason.strip()
    intake.open_items_reason = open_reason.strip()
    intake.information_given = information
    intake.note_text = draft_note(
        tree,
        intake.answers,
        offered_help=offered_help,
        offered_reason=intake.offered_reason,
        information=information,
        open_reason=intake.open_items_reason,
    )
    intake.statistic_recorded = True  # the row is written just below, in this transaction
    intake.revision += 1
    intake.updated_at = now
    intake.save()
    # Kept apart from the case: no link back, so neither can be found from the other.
    IntakeStatistic.objects.create(
        unit=intake.unit, **statistic_fields(evaluation, offered_help=offered_help, when=timezone.localdate(now))
    )
    audit_log(actor=user, action="intake.finalized", target=intake, unit=intake.unit)
    return intake


@transaction.atomic
def intake_note_save(*, intake: Intake, user, text: str, finalize: bool) -> Intake:
    """Save the journal note's draft and, with ``finalize``, lock it (author and time). A finalized note is
    never written again: a second finalize changes nothing."""
    intake = Intake.objects.select_for_update().get(pk=intake.pk)
    if intake.is_draft:
        raise ValidationError(_("Finalize the intake before its journal note."))
    if intake.note_is_final:
        return intake
    intake.note_text = text
    fields = ["note_text"]
    if finalize:
        intake.note_finalized_at = timezone.now()
        intake.note_finalized_by = user
        fields += ["note_finalized_at", "note_finalized_by"]
    intake.save(update_fields=fields)
    audit_log(
        actor=user,
        action="intake.note_finalized" if finalize else "intake.note_changed",
        target=intake,
        unit=intake.unit,
    )
    return intake


@transaction.atomic
def intake_note_add_addendum(*, intake: Intake, user, text: str):
    """A dated addition under a finalized note."""
    intake = Intake.objects.select_for_update().get(pk=intake.pk)
    if not intake.note_is_final:
        raise ValidationError(_("Addenda are for finalized notes; the draft can still be edited."))
    addendum = IntakeNoteAddendum.objects.create(intake=intake, author=user, text=text.strip())
    audit_log(actor=user, action="intake.note_addendum_added", target=intake, unit=intake.unit)
    return addendum


@transaction.atomic
def intake_unshare(*, intake: Intake, by, with_user) -> None:
    """Take a colleague's access away again. The owner's own grants are never removed here."""
    if with_user.pk == intake.owner_id:
        raise ValidationError(_("The intake's own counsellor keeps her access."))
    remove_perm("intake.view_intake", with_user, intake)
    remove_perm("intake.change_intake", with_user, intake)
    audit_log(actor=by, action="intake.unshared", target=intake, unit=intake.unit)


# Terminology (intake.terminology)


@dataclass
class TerminologyImport:
    stored: list  # the CodeSystem and ValueSet rows made
    unchanged: list  # the rows that already held the very same resource
    refused: list[str]  # one line per resource left out, saying why


def _terminology_identity(model, resource: dict):
    """(row, problem): the row already holding this url and version with the same content (re-importing it
    changes nothing), else a problem when that url and version hold something else or do not fit."""
    url, version = str(resource.get("url") or ""), str(resource.get("version") or "")
    name = {"resource": terminology.label(resource)}
    if len(url) > model._meta.get_field("url").max_length or len(version) > model._meta.get_field("version").max_length:
        return None, _("%(resource)s: its url or version is too long.") % name
    row = model.objects.filter(url=url, version=version).first()
    if row is None or row.resource == resource:
        return row, None
    if version:
        return None, _(
            "%(resource)s is already imported with other content: give the changed one a new version."
        ) % name
    return None, _(
        "%(resource)s (without a version) is already imported with other content: give the changed one a version."
    ) % name


def _terminology_fields(resource: dict) -> dict:
    return {
        "url": resource["url"],
        "version": str(resource.get("version") or ""),
        "name": str(resource.get("name") or "")[:255],
        "title": str(resource.get("title") or "")[:255],
        "status": str(resource.get("status") or "")[:16],
        "resource": resource,
    }


@transaction.atomic
def terminology_import(*, resources: list[dict], user=None) -> TerminologyImport:
    """Store checked ValueSets and CodeSystems (``intake.terminology.read_terminology``) for Questionnaires'
    ``answerValueSet``: CodeSystems first, then each ValueSet expanded once (it may build on CodeSystems and
    ValueSets of the same file, in any order, or imported before). A resource whose url and version are
    there already with the same content changes nothing; with other content it is refused, as is one whose
    concepts cannot be worked out here. Each stored row is audited."""
    result = TerminologyImport(stored=[], unchanged=[], refused=[])

    def keep(model, resource: dict, **fields):
        row = model.objects.create(**_terminology_fields(resource), imported_by=user, **fields)
        audit_log(actor=user, action="intake_terminology.imported", target=row)
        result.stored.append(row)

    for resource in (r for r in resources if r.get("resourceType") == "CodeSystem"):
        problems = terminology.code_system_problems(resource)
        row, problem = (None, None) if problems else _terminology_identity(CodeSystem, resource)
        if problems or problem:
            result.refused.extend(problems or [problem])
        elif row is not None:
            result.unchanged.append(row)
        else:
            keep(CodeSystem, resource, concept_count=terminology.count_concepts(resource))

    def code_system(system: str, version: str) -> dict | None:
        row = code_system_by_canonical(f"{system}|{version}" if version else system)
        return row.resource if row is not None else None

    def value_set(canonical: str) -> list[dict] | None:
        row = value_set_by_canonical(canonical)
        return row.concepts if row is not None else None

    lookups = terminology.Lookups(code_system=code_system, value_set=value_set)
    pending: dict[int, tuple[dict, str]] = {}
    for number, resource in enumerate(r for r in resources if r.get("resourceType") == "ValueSet"):
        row, problem = (None, None) if not resource.get("url") else _terminology_identity(ValueSet, resource)
        if problem:
            result.refused.append(problem)
        elif row is not None:
            result.unchanged.append(row)
        else:
            pending[number] = (resource, "")
    # A ValueSet may include another of the same file that comes later: expand again while that helps.
    progress = True
    while pending and progress:
        progress = False
        for number, (resource, _reason) in list(pending.items()):
            try:
                concepts = terminology.expand(resource, lookups)
            except terminology.ExpansionError as error:
                pending[number] = (resource, str(error))
                continue
            keep(ValueSet, resource, concepts=concepts, concept_count=len(concepts))
            del pending[number]
            progress = True
    result.refused.extend(
        _("%(resource)s: %(reason)s") % {"resource": terminology.label(resource), "reason": reason}
        for resource, reason in pending.values()
    )
    return result
