"""Decide on the scanners' JSON reports: exit 1 on a high-severity bandit finding or a known vulnerability.

Usage: security_gate.py BANDIT_JSON PIP_AUDIT_JSON. Kept apart from the shell script so that the decision
itself is tested (tests/tooling/test_security_gate.py).
"""

import json
import sys


def bandit_failures(report: dict) -> list[str]:
    if report.get("errors"):
        return [f"bandit could not scan {e.get('filename')}: {e.get('reason')}" for e in report["errors"]]
    return [
        f"{r['filename']}:{r['line_number']} {r['test_id']} {r['issue_text']}"
        for r in report.get("results", [])
        if r.get("issue_severity") == "HIGH"
    ]


def audit_failures(report: dict) -> tuple[list[str], int, int]:
    """(findings, audited, not audited). A dependency the service could not look up is not a finding."""
    failures, audited, skipped = [], 0, 0
    for dependency in report.get("dependencies", []):
        if "skip_reason" in dependency:
            skipped += 1
            continue
        audited += 1
        for vuln in dependency.get("vulns", []):
            fixed = ", ".join(vuln.get("fix_versions", [])) or "no fixed version yet"
            failures.append(f"{dependency['name']} {dependency['version']}: {vuln['id']} (fixed in {fixed})")
    return failures, audited, skipped


def main(bandit_path: str, audit_path: str) -> int:
    with open(bandit_path) as f:
        bandit = json.load(f)
    with open(audit_path) as f:
        audit = json.load(f)
    failures = bandit_failures(bandit)
    totals = bandit.get("metrics", {}).get("_totals", {})
    print(
        "bandit: {} high, {} medium, {} low".format(
            totals.get("SEVERITY.HIGH", 0), totals.get("SEVERITY.MEDIUM", 0), totals.get("SEVERITY.LOW", 0)
        )
    )
    vulns, audited, skipped = audit_failures(audit)
    failures += vulns
    print(f"pip-audit: {audited} dependencies audited, {len(vulns)} known vulnerabilities, {skipped} not audited")
    if skipped:
        # The vulnerability service (PyPI's per-release JSON, or OSV) was not reachable for these: say so
        # loudly rather than pretend they were checked. See docs/security.md.
        print(f"pip-audit: WARNING: {skipped} dependencies could not be looked up (vulnerability service unreachable)")
    for failure in failures:
        print("FAIL:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
