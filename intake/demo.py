"""Publishes the demo first-contact tree (intake/trees/first-contact.{nb,en}.json). Safe to repeat: a
language whose latest published version already holds the same document is left as it is; a changed file
becomes a new published version, so intakes pinned to the old one keep it."""

import json
from pathlib import Path

from django.db import transaction

from intake.models import QuestionTree, TreeVersion
from intake.questionnaire import check_questionnaire
from intake.services import tree_version_create, tree_version_publish

TREES_DIR = Path(__file__).resolve().parent / "trees"
FIRST_CONTACT = "first-contact"
LANGUAGES = ("nb", "en")


def demo_tree_document(language: str) -> dict:
    """The demo tree's Questionnaire in one language, checked like any import (a broken file fails loudly)."""
    text = (TREES_DIR / f"{FIRST_CONTACT}.{language}.json").read_bytes()
    doc, problems = check_questionnaire(text)
    if problems:
        raise ValueError(f"{FIRST_CONTACT}.{language}.json: " + "; ".join(problems))
    return doc


@transaction.atomic
def seed_intake_trees(*, editor=None) -> dict[str, TreeVersion]:
    """The published demo tree version per language."""
    versions = {}
    for language in LANGUAGES:
        doc = demo_tree_document(language)
        latest = (
            TreeVersion.objects.filter(tree__slug=FIRST_CONTACT, language=language, status=TreeVersion.Status.PUBLISHED)
            .order_by("-number")
            .first()
        )
        if latest is None or latest.questionnaire != doc:
            latest = tree_version_publish(
                version=tree_version_create(doc=doc, user=editor, tree_slug=FIRST_CONTACT, language=language),
                user=editor,
            )
        versions[language] = latest
    tree = QuestionTree.objects.get(slug=FIRST_CONTACT)
    title = versions["en"].questionnaire.get("title", FIRST_CONTACT)
    if tree.title != title:
        tree.title = title
        tree.save(update_fields=["title"])
    return versions
