"""Imports go one way: features build on the house, never the other way round.

Walks the source with ``ast`` (nothing is imported or run), so an import inside a function counts as much as
one at the top of a module.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

FEATURES = ("routines", "printing", "intake", "safety_plans", "incidents", "exercises", "contacts", "annual_report")
# The house: below the features, and imports none of them.
BELOW_FEATURES = ("core", "accounts", "audit", "usersessions", "twofactor", "sso")
# Every app of ours (and the project package): core imports none of them.
OURS = (*BELOW_FEATURES, *FEATURES, "config")


def _sources(package: str):
    for path in sorted((ROOT / package).rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def imported_modules(path: Path) -> set[str]:
    """The dotted names ``path`` imports (``from a.b import c`` gives ``a.b`` and ``a.b.c``), relative imports
    resolved against the module's own package."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def _top(name: str) -> str:
    return name.split(".")[0]


def _is_views(name: str) -> bool:
    """``x.views``, ``x.views.y``, ``x.something_views`` and names imported from them."""
    parts = name.split(".")[1:]
    return any(part == "views" or part.endswith("_views") for part in parts)


def violations() -> list[str]:
    found = []
    for package in BELOW_FEATURES:
        for path in _sources(package):
            for name in sorted(imported_modules(path)):
                top = _top(name)
                if top in FEATURES:
                    found.append(f"{path.relative_to(ROOT)} imports the feature {name}")
                elif package == "core" and top in OURS and top != "core":
                    found.append(f"{path.relative_to(ROOT)} imports {name}: core imports no other app of ours")
    for package in FEATURES:
        for path in _sources(package):
            for name in sorted(imported_modules(path)):
                top = _top(name)
                if top in FEATURES and top != package and _is_views(name):
                    found.append(f"{path.relative_to(ROOT)} imports another feature's views: {name}")
    return sorted(set(found))


def test_imports_go_one_way():
    assert violations() == []


def test_relative_imports_are_resolved():
    # A relative import in core/ is seen as the absolute name it stands for.
    module = ROOT / "core" / "_probe_for_test.py"
    module.write_text("from ..accounts import models\nfrom .registry import Registry\n")
    try:
        assert {"accounts", "accounts.models", "core.registry"} <= imported_modules(module)
    finally:
        module.unlink()


@pytest.mark.parametrize(
    ("package", "source", "expected"),
    [
        ("core", "from accounts.models import Unit\n", "core imports no other app of ours"),
        ("core", "def f():\n    import audit.services\n", "core imports no other app of ours"),
        ("audit", "from incidents.models import Incident\n", "imports the feature incidents.models"),
        ("accounts", "import intake.selectors\n", "imports the feature intake.selectors"),
        ("safety_plans", "from intake.views import intake_detail\n", "another feature's views: intake.views"),
        ("intake", "from safety_plans import print_views\n", "another feature's views: safety_plans.print_views"),
    ],
)
def test_the_walker_catches_each_kind_of_violation(package, source, expected):
    """The test above can fail: a module that breaks each rule is caught."""
    probe = ROOT / package / "_probe_for_test.py"
    probe.write_text(source)
    try:
        assert any(expected in line for line in violations())
    finally:
        probe.unlink()


def test_features_may_build_on_each_other_below_their_views():
    """Safety plans build on intake's models and retention (a plan is started from an intake): allowed."""
    assert not any("safety_plans/retention.py" in line for line in violations())
