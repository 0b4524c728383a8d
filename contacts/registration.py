"""The registration form as data: a FHIR Questionnaire filed as a question tree like the intake's
(``intake.models.QuestionTree``), so editors update it with the same upload, preview and publish screens when
the reporting categories change, and it is read and validated by the same code (``intake.questionnaire``).

The shipped default (``contacts/trees/statistics-registration.{nb,en}.json``) asks the annual report's
dimensions in our own words. A question may name the intake question it is prefilled from with the
extension ``registration-prefill`` (valueString: the intake's linkId); only answers whose code is one of the
registration question's options are carried over.
"""

from pathlib import Path

from django import forms

from intake.models import Intake, TreeVersion
from intake.questionnaire import EXT_BASE, Item, Tree, check_questionnaire, extension_value
from intake.selectors import current_tree_version
from intake.services import tree_version_create, tree_version_publish
from intake.wizard import answers_from, initial_for, step_form_class, step_questions

REGISTRATION_TREE = "statistics-registration"
EXT_PREFILL = EXT_BASE + "registration-prefill"
TREES_DIR = Path(__file__).resolve().parent / "trees"
# The answer the pseudonym takes the gender from (with the year of birth and the initials).
GENDER_LINK_ID = "gender"


def registration_version(language: str) -> TreeVersion | None:
    """The published registration form in ``language`` (bokmål if there is none in it)."""
    return current_tree_version(REGISTRATION_TREE, language)


def shipped_document(language: str) -> dict:
    text = (TREES_DIR / f"{REGISTRATION_TREE}.{language}.json").read_bytes()
    doc, problems = check_questionnaire(text)
    if problems or doc is None:
        raise ValueError(f"{REGISTRATION_TREE}.{language}.json: " + "; ".join(problems))
    return doc


def ensure_registration_tree(*, editor=None) -> dict[str, TreeVersion]:
    """Publish the shipped registration form in both languages unless that exact document is the latest
    published already (safe to repeat)."""
    versions = {}
    for language in ("nb", "en"):
        doc = shipped_document(language)
        latest = registration_version(language)
        if latest is None or latest.language != language or latest.questionnaire != doc:
            latest = tree_version_publish(
                version=tree_version_create(doc=doc, user=editor, tree_slug=REGISTRATION_TREE, language=language),
                user=editor,
            )
        versions[language] = latest
    return versions


def form_step(tree: Tree) -> Item:
    """The registration form is one step: its first group."""
    return tree.steps[0]


def prefill(tree: Tree, intake: Intake) -> dict[str, list]:
    """Answers taken over from the intake where it asked the same thing (codes the form offers only)."""
    answers: dict[str, list] = {}
    for item in step_questions(form_step(tree)):
        source = extension_value(item.raw, EXT_PREFILL)
        if not source or item.type not in {"choice", "open-choice"}:
            continue
        codes = {option["code"]: option for option in tree.options(item)}
        values = [
            {k: v for k, v in codes[value["code"]].items() if v}
            for value in intake.answers.get(source, [])
            if isinstance(value, dict) and value.get("code") in codes
        ]
        if values:
            answers[item.link_id] = values if item.repeats else values[:1]
    return answers


def questions_form(tree: Tree, intake: Intake, data=None, *, answers: dict[str, list] | None = None) -> forms.Form:
    """The form's questions as a Django form (the intake wizard's generator), prefilled from the intake, or
    with ``answers`` (a registration being corrected: the answers it holds)."""
    step = form_step(tree)
    initial = initial_for(tree, step, prefill(tree, intake) if answers is None else answers)
    form = step_form_class(tree, step)(data, prefix="q", initial=initial)
    del form.fields["revision"]  # one registration per case: nothing to keep apart
    return form


def answers_of(tree: Tree, form: forms.Form) -> dict[str, list]:
    return {k: v for k, v in answers_from(tree, form_step(tree), form.cleaned_data).items() if v}


def gender_of(answers: dict[str, list]) -> str:
    values = answers.get(GENDER_LINK_ID) or []
    return str(values[0].get("code", "")) if values and isinstance(values[0], dict) else ""
