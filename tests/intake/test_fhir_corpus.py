"""The FHIR corpus: real R4 Questionnaires written by others, imported the way the import command does it.

Groundwork for issue 18. Every file under tests/fixtures/fhir/<source>/ (see SOURCES.md there) goes through
what ``manage.py import_questionnaire --publish --publish-draft`` runs (``check_questionnaire``, then
``tree_version_import`` and ``tree_version_publish``) inside the test database, and ends in one of three outcomes:

- imported: a published tree version, every step of which renders as in the preview;
- refused: a clear refusal, recorded by its first line (the reason);
- crashed: any other exception. That is a defect: bad input must get a refusal, never a traceback.

The tests pass today and fail when things get worse: a crash outside ``KNOWN_CRASHES``, a known crash that
no longer happens (take it off the list), or an import rate below ``MIN_IMPORT_RATE`` (raise it as support
grows). To print the table (source, files, imported, refused by reason, crashed):

    FHIR_CORPUS_REPORT=1 .venv/bin/python -m pytest -q -p no:cacheprovider tests/intake/test_fhir_corpus.py
"""

import json
import os
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from intake.models import QuestionTree
from intake.navigation import start_answers
from intake.questionnaire import Tree, check_questionnaire
from intake.services import (
    terminology_import,
    tree_key_for,
    tree_slug_for,
    tree_version_import,
    tree_version_publish,
)
from intake.terminology import read_terminology
from intake.wizard import initial_for, step_form_class, step_nodes

# The module's fixture imports into the test database; the marker is what makes pytest-django create it.
pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "fhir"
FILES = sorted(CORPUS.glob("*/*.json"))
# ValueSets and CodeSystems (not Questionnaires, so outside the glob above), imported before the corpus.
TERMINOLOGY = sorted((CORPUS.parent / "fhir-terminology").glob("*.json"))

# The share of the corpus that imports today (imported / files). Raise it as support grows; never lower it.
# 128 of 220 with structure, identity, repeats, expressions (also per instance), types and launch context
# (issue 18 measured 7 of 238); 135 with the R4 terminology of tests/fixtures/fhir-terminology/ imported first;
# 138 with choice questions offering their initial codings and repeating boolean and quantity questions.
MIN_IMPORT_RATE = 0.627

# Files that crash today, each with the defect it shows (issue 18). Keys are paths relative to CORPUS.
# Fix the defect, then take the file off this list: the test fails while a listed file no longer crashes.
KNOWN_CRASHES: dict[str, str] = {}

# SQLite does not enforce a varchar's length; PostgreSQL (production) raises DataError on the INSERT. The
# tree's short name is slugify(name or id) in a SlugField of max_length 50, so a longer one is recorded as
# the crash PostgreSQL would give (issue 18: "a FHIR name longer than 50 characters gives a traceback").
SLUG_MAX_LENGTH: int = QuestionTree._meta.get_field("slug").max_length or 50


@dataclass
class Outcome:
    path: Path
    status: str  # imported | refused | crashed
    reason: str = ""  # the refusal's first line, or the crash's exception
    problems: list[str] = field(default_factory=list)  # every refusal line

    @property
    def source(self) -> str:
        return self.path.parent.name

    @property
    def key(self) -> str:
        return self.path.relative_to(CORPUS).as_posix()


def import_file(path: Path) -> Outcome:
    """What ``manage.py import_questionnaire --publish --publish-draft PATH`` does (with ``--language en``
    for a document that has no language, as the import asks for one), without the command's printing; then
    every step of an imported tree is rendered as the preview renders it."""
    text = path.read_bytes()
    try:
        doc, problems = check_questionnaire(text)
        if doc is not None and not problems:
            try:
                language = "" if doc.get("language") else "en"
                version = tree_version_import(doc=doc, language=language, file_name=path.stem).version
                if len(version.tree.slug) > SLUG_MAX_LENGTH:
                    return Outcome(
                        path,
                        "crashed",
                        f"DataError on PostgreSQL: the tree's short name has {len(version.tree.slug)} characters "
                        f"(the column holds {SLUG_MAX_LENGTH})",
                    )
                tree_version_publish(version=version, allow_draft=True)
            except ValidationError as exc:
                problems = exc.messages
            else:
                render_every_step(version.questionnaire)
    except Exception as exc:  # anything but a refusal is the defect this test looks for
        return Outcome(path, "crashed", f"{type(exc).__name__}: {exc}"[:300])
    if problems:
        return Outcome(path, "refused", problems[0], list(problems))
    return Outcome(path, "imported")


def render_every_step(doc: dict) -> None:
    """Each step's form and items, built and rendered as the preview does it, from a new intake's answers."""
    tree = Tree(doc)
    answers = start_answers(tree)
    assert tree.steps, "an imported tree has at least one step"
    for step in tree.steps:
        form = step_form_class(tree, step)(initial={**initial_for(tree, step, answers), "revision": 0})
        render_to_string("intake/_items.html", {"nodes": step_nodes(tree, step, form, answers)})


@pytest.fixture(scope="module")
def corpus(django_db_setup, django_db_blocker, pytestconfig) -> dict[str, Outcome]:
    """Every file's outcome, each file imported on its own into an empty test database (rolled back after)."""
    started = time.monotonic()
    outcomes = {}
    with django_db_blocker.unblock(), translation.override("en"), transaction.atomic():
        # The R4 terminology the Questionnaires name in answerValueSet, as an editor would import it first.
        for path in TERMINOLOGY:
            read = read_terminology(path.read_bytes())
            assert not read.problems and not read.skipped, read
            assert not terminology_import(resources=read.resources).refused, path
        for path in FILES:
            with transaction.atomic():
                outcome = import_file(path)
                transaction.set_rollback(True)
            outcomes[outcome.key] = outcome
        transaction.set_rollback(True)
    elapsed = time.monotonic() - started
    if os.environ.get("FHIR_CORPUS_REPORT"):
        with pytestconfig.pluginmanager.getplugin("capturemanager").global_and_fixture_disabled():
            print("\n" + report(list(outcomes.values()), elapsed))
    return outcomes


# The report


_LINK_ID = re.compile(r"^linkId .*?: (?=[a-zA-Z%(])")
_INDEX = re.compile(r"\.\d+(?=\.|:|$)")


def reason_kind(line: str) -> str:
    """A refusal line without what is particular to one file (linkIds, URLs, codes, paths), for counting."""
    line = _LINK_ID.sub("", line)
    line = _INDEX.sub(".*", line)
    line = re.sub(r"https?://\S+? is external", "<url> is external", line)
    line = re.sub(r"https?://\S+?(?=[ ;,)]|\.?$)", "<url>", line)
    line = re.sub(r"enableWhen (points at|on) [^\s,]+", r"enableWhen \1 <linkId>", line)
    line = re.sub(r"uses code [^\s,]+", "uses code <code>", line)
    line = re.sub(
        r"uses (answer\w+), which does not match its type \S+", r"uses \1 on a question of another type", line
    )
    line = re.sub(r"\(found [^)]*\)", "(found ...)", line)
    line = re.sub(r"#\S+ names", "#<id> names", line)
    line = re.sub(r"; (?!<url>)\S+ is external", "; <ref> is external", line)
    line = re.sub(r"needs an integer, decimal or date question; .*", "needs an integer, decimal or date question", line)
    line = re.sub(r"^The file is not JSON: .*", "The file is not JSON", line)
    return line


def report(outcomes: list[Outcome], elapsed: float) -> str:
    rows = [f"FHIR corpus: {len(outcomes)} files in {elapsed:.1f} s", ""]
    sources = sorted({o.source for o in outcomes})
    rows.append(f"{'source':<14}{'files':>6}{'imported':>10}{'refused':>9}{'crashed':>9}")
    for source in [*sources, None]:
        group = [o for o in outcomes if source is None or o.source == source]
        counts = Counter(o.status for o in group)
        rows.append(
            f"{source or 'all':<14}{len(group):>6}{counts['imported']:>10}{counts['refused']:>9}{counts['crashed']:>9}"
        )
    imported = sum(o.status == "imported" for o in outcomes)
    rows += ["", f"import rate: {imported}/{len(outcomes)} = {imported / max(len(outcomes), 1):.1%}", ""]
    refused = [o for o in outcomes if o.status == "refused"]
    rows.append("refused, by first reason (files):")
    for kind, n in Counter(reason_kind(o.reason) for o in refused).most_common(25):
        rows.append(f"  {n:>4}  {kind}")
    rows += ["", "refused, by any reason (files blocked; a file counts once per kind):"]
    blocked = Counter(kind for o in refused for kind in {reason_kind(p) for p in o.problems})
    for kind, n in blocked.most_common(40):
        rows.append(f"  {n:>4}  {kind}")
    rows += ["", "refused, first reason by source:"]
    for source in sources:
        top = Counter(reason_kind(o.reason) for o in refused if o.source == source).most_common(5)
        rows.append(f"  {source}: " + "; ".join(f"{n} x {kind}" for kind, n in top))
    rows += ["", "identity, over all files (checked after the rest, so mostly hidden behind other refusals):"]
    docs = {o.key: _load(o.path) for o in outcomes}
    no_language = [k for k, d in docs.items() if (d.get("language") or "").split("-")[0].lower() not in {"nb", "en"}]
    no_name = [k for k, d in docs.items() if not tree_key_for(d)]
    long_slug = [k for k, d in docs.items() if len(tree_slug_for(d)) > SLUG_MAX_LENGTH]
    rows.append(f"  {len(no_language):>4}  language is not nb or en (or missing): --language would be needed")
    rows.append(f"  {len(no_name):>4}  neither url, name, title nor id: filed under the file's name")
    rows.append(f"  {len(long_slug):>4}  short names cut to {SLUG_MAX_LENGTH} characters: " + ", ".join(long_slug))
    crashed = [o for o in outcomes if o.status == "crashed"]
    rows += ["", f"crashed: {len(crashed)}"]
    rows += [f"  {o.key}: {o.reason}" for o in crashed]
    return "\n".join(rows)


def _load(path: Path) -> dict:
    try:
        doc = json.loads(path.read_bytes())
    except ValueError:
        return {}
    return doc if isinstance(doc, dict) else {}


# The tests


def test_the_corpus_is_large_spread_and_licensed():
    assert len(FILES) >= 120
    sources = Counter(path.parent.name for path in FILES)
    assert max(sources.values()) <= 0.45 * len(FILES), sources
    listed = (CORPUS / "SOURCES.md").read_text()
    for source in sources:
        assert (CORPUS / source / "LICENSE").is_file(), source
        assert f"`{source}/`" in listed, source
    assert sum(path.stat().st_size for path in CORPUS.rglob("*")) < 15_000_000
    for path in FILES:
        # Each file is kept as published; a file the import cannot even parse would still be a fair test.
        assert json.loads(path.read_bytes())["resourceType"] == "Questionnaire", path


@pytest.mark.parametrize("path", FILES, ids=[path.relative_to(CORPUS).as_posix() for path in FILES])
def test_no_file_crashes(corpus, path):
    outcome = corpus[path.relative_to(CORPUS).as_posix()]
    if outcome.key in KNOWN_CRASHES:
        assert outcome.status == "crashed", f"{outcome.key} no longer crashes: take it off KNOWN_CRASHES"
    else:
        assert outcome.status != "crashed", outcome.reason


def test_known_crashes_are_files_of_the_corpus():
    keys = {path.relative_to(CORPUS).as_posix() for path in FILES}
    assert set(KNOWN_CRASHES) <= keys


def test_import_rate_does_not_fall(corpus):
    imported = sum(outcome.status == "imported" for outcome in corpus.values())
    assert imported / len(corpus) >= MIN_IMPORT_RATE, report(list(corpus.values()), 0)


def test_every_refusal_is_one_line(corpus):
    for outcome in corpus.values():
        if outcome.status == "refused":
            assert outcome.reason.strip() and "\n" not in outcome.reason and "Traceback" not in outcome.reason
