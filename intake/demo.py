"""Publishes the demo first-contact tree (intake/trees/first-contact.{nb,en}.json). Safe to repeat: a
language whose latest published version already holds the same document is left as it is; a changed file
becomes a new published version, so intakes pinned to the old one keep it."""

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


# Demo intakes for `counsellor` at centre A: fixed ids, so seeding twice changes nothing. Invented answers, and
# a cover label each (never a name) so the list shows how drafts are told apart.
DEMO_INTAKES = [
    (
        "d0000000-0000-4000-8000-000000000001",
        "perpetrator",
        "Demo: telefon etter helgen",
        {
            "contact-channel": [{"system": "https://krisestotte.no/fhir/CodeSystem/first-contact", "code": "phone"}],
            "interpreter-needed": [False],
            "why-now": ["Demo: ringte etter en krangel i helgen."],
            "recent-rape": [False],
        },
    ),
    (
        "d0000000-0000-4000-8000-000000000002",
        "children",
        "Demo: brakt av politiet",
        {
            "contact-channel": [{"system": "https://krisestotte.no/fhir/CodeSystem/first-contact", "code": "police"}],
            "interpreter-needed": [True],
            "interpreter-kind": [
                {"system": "https://krisestotte.no/fhir/CodeSystem/first-contact", "code": "phone-interpreter"}
            ],
            "recent-rape": [False],
            "perpetrator-count": [2],
            "family-supports": [True],
        },
    ),
]


@transaction.atomic
def seed_demo_intakes(*, counsellor, unit, tree_version: TreeVersion) -> list:
    """A few draft intakes to resume from the list. Existing ones are left as they are."""
    from intake.evaluator import prune
    from intake.models import Intake
    from intake.questionnaire import Tree
    from intake.services import intake_create

    tree = Tree(tree_version.questionnaire)
    intakes = []
    for pk, step, label, answers in DEMO_INTAKES:
        intake = Intake.objects.filter(pk=pk).first()
        if intake is None:
            intake = intake_create(user=counsellor, unit=unit, tree_version=tree_version, pk=pk)
            # Demo data goes straight in, as if the steps had been saved; pruned like any save.
            intake.answers = prune(tree, answers)[0]
            intake.current_step = step
            intake.revision = 1
            intake.cover_label = label
            intake.save(update_fields=["answers", "current_step", "revision", "cover_label"])
        intakes.append(intake)
    return intakes
