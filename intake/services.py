"""Writes for question trees (and, later, intakes). Each function is one user action, atomic."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.audit import audit_log
from intake.models import QuestionTree, TreeVersion
from intake.questionnaire import tree_problems

LANGUAGES = {code for code, _label in TreeVersion.Language.choices}


def tree_slug_for(doc: dict) -> str:
    """The tree a Questionnaire belongs to: its ``name`` (FHIR's computer-friendly name), else its ``id``."""
    return slugify(doc.get("name") or doc.get("id") or "")


@transaction.atomic
def tree_version_create(*, doc: dict, user=None, tree_slug: str = "", language: str = "") -> TreeVersion:
    """Store a validated Questionnaire as a new draft version of its tree, numbered after that language's
    latest. The tree is created on first import. Raises ValidationError saying what is missing."""
    tree_slug = tree_slug or tree_slug_for(doc)
    language = (language or doc.get("language") or "").split("-")[0].lower()
    if not tree_slug:
        raise ValidationError(_("The Questionnaire has no name or id to file it under; give the tree's short name."))
    if language not in LANGUAGES:
        raise ValidationError(
            _("The Questionnaire's language must be nb or en (found %(found)s); give the language.")
            % {"found": language or "-"}
        )
    tree, _created = QuestionTree.objects.get_or_create(
        slug=tree_slug, defaults={"title": (doc.get("title") or tree_slug)[:200]}
    )
    latest = (
        TreeVersion.objects.select_for_update()
        .filter(tree=tree, language=language)
        .aggregate(n=Max("number"))["n"]
        or 0
    )
    version = TreeVersion.objects.create(
        tree=tree, number=latest + 1, language=language, questionnaire=doc, created_by=user
    )
    audit_log(actor=user, action="intake_tree.version_created", target=version)
    return version


@transaction.atomic
def tree_version_publish(*, version: TreeVersion, user=None) -> TreeVersion:
    """Publish a draft: from now on it never changes. Re-checks the document first."""
    version = TreeVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_published:
        raise ValidationError(_("Only a draft can be published."))
    problems = tree_problems(version.questionnaire)
    if problems:
        raise ValidationError(problems)
    version.status = TreeVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = user
    version.save(update_fields=["status", "published_at", "published_by"])
    audit_log(actor=user, action="intake_tree.version_published", target=version)
    return version
