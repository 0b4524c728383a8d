"""Every action code the code base writes to the audit log has a translated label and a kind."""

import ast
from pathlib import Path

from audit.catalogue import ACTIONS, READ_KINDS, Kind, describe
from audit.services import ACTION_CODE

ROOT = Path(__file__).resolve().parents[2]
# Every app of ours (a folder with an apps.py), and config: an app added later is read without being listed here.
APPS = sorted(["config", *(path.parent.name for path in ROOT.glob("*/apps.py"))])


def _sources():
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path


def collect_action_codes() -> tuple[set[str], list[str]]:
    """The dotted codes passed as ``action=`` (or as a ``*_action=`` that is handed on to ``audit_log``, as
    accounts.sharing does) anywhere in the apps, and the ``audit_log`` calls whose action is neither a literal
    nor such a hand-on (which this test could not check)."""
    codes: set[str] = set()
    unchecked: list[str] = []
    for path in _sources():
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            for keyword in node.keywords:
                if keyword.arg is None or not (keyword.arg == "action" or keyword.arg.endswith("_action")):
                    continue
                constants = [c.value for c in ast.walk(keyword.value) if isinstance(c, ast.Constant)]
                strings = [value for value in constants if isinstance(value, str)]
                found = {value for value in strings if ACTION_CODE.match(value)}
                codes |= found
                name = getattr(node.func, "id", getattr(node.func, "attr", ""))
                passed_on = isinstance(keyword.value, ast.Attribute) and keyword.value.attr.endswith("_action")
                if name == "audit_log" and keyword.arg == "action" and not found and not passed_on:
                    unchecked.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return codes, unchecked


def test_every_action_code_in_the_code_base_has_a_catalogue_entry():
    codes, unchecked = collect_action_codes()
    # The collector really finds the codes (so this test can fail): a sample from each app.
    sample = {
        "auth.login",
        "auth.sso_login",
        "intake.viewed",
        "safety_plan.printed",
        "incident.exported",
        "print_order.pdf_downloaded",
    }
    assert sample <= codes
    assert "safety_plan.declined_withdrawn" in codes  # the second branch of a conditional expression
    assert len(codes) >= 50
    assert unchecked == [], "audit_log called with an action this test cannot read: use a literal dotted code"
    assert sorted(codes - set(ACTIONS)) == [], (
        "action codes without a label and kind: register them in the app's audit.py"
    )


def test_the_catalogue_has_no_code_nobody_writes():
    codes, _unchecked = collect_action_codes()
    assert sorted(set(ACTIONS) - codes) == []


def test_catalogue_entries_are_well_formed():
    for code, action in ACTIONS.items():
        assert ACTION_CODE.match(code), code
        assert action.kind in Kind.values, code
        assert str(action.label) and str(action.label) != code
    assert {Kind.VIEWED, Kind.PRINTED, Kind.EXPORTED} == READ_KINDS


def test_an_unknown_code_shows_as_itself():
    assert describe("something.new").label == "something.new"
    assert describe("something.new").kind == Kind.OTHER
