"""The CI gate over bandit's and pip-audit's reports (.ci/security_gate.py) fails on what it must."""

import importlib.util
import json
from pathlib import Path

spec = importlib.util.spec_from_file_location(
    "security_gate", Path(__file__).resolve().parents[2] / ".ci" / "security_gate.py"
)
gate = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gate)


def bandit_result(severity):
    return {
        "filename": "./x.py",
        "line_number": 3,
        "test_id": "B602",
        "issue_text": "shell=True",
        "issue_severity": severity,
    }


def write(tmp_path, bandit, audit):
    (tmp_path / "b.json").write_text(json.dumps(bandit))
    (tmp_path / "a.json").write_text(json.dumps(audit))
    return gate.main(str(tmp_path / "b.json"), str(tmp_path / "a.json"))


CLEAN_AUDIT = {"dependencies": [{"name": "django", "version": "5.2.19", "vulns": []}], "fixes": []}


def test_a_clean_report_passes(tmp_path, capsys):
    assert write(tmp_path, {"errors": [], "results": [bandit_result("MEDIUM"), bandit_result("LOW")]}, CLEAN_AUDIT) == 0
    assert "1 dependencies audited, 0 known vulnerabilities" in capsys.readouterr().out


def test_a_high_severity_finding_fails(tmp_path, capsys):
    assert write(tmp_path, {"errors": [], "results": [bandit_result("HIGH")]}, CLEAN_AUDIT) == 1
    assert "FAIL: ./x.py:3 B602" in capsys.readouterr().out


def test_a_file_bandit_could_not_parse_fails(tmp_path):
    assert (
        write(tmp_path, {"errors": [{"filename": "./y.py", "reason": "syntax error"}], "results": []}, CLEAN_AUDIT) == 1
    )


def test_a_known_vulnerability_fails(tmp_path, capsys):
    audit = {
        "dependencies": [
            {"name": "django", "version": "5.2.0", "vulns": [{"id": "PYSEC-2025-1", "fix_versions": ["5.2.1"]}]}
        ]
    }
    assert write(tmp_path, {"errors": [], "results": []}, audit) == 1
    assert "FAIL: django 5.2.0: PYSEC-2025-1 (fixed in 5.2.1)" in capsys.readouterr().out


def test_dependencies_the_service_could_not_look_up_are_reported_not_hidden(tmp_path, capsys):
    audit = {"dependencies": [{"name": "segno", "skip_reason": "Dependency not found on PyPI"}]}
    assert write(tmp_path, {"errors": [], "results": []}, audit) == 0
    out = capsys.readouterr().out
    assert "0 dependencies audited" in out and "WARNING: 1 dependencies could not be looked up" in out
