#!/usr/bin/env bash
# Static analysis (bandit) of our code and a known-vulnerability audit (pip-audit) of requirements.lock.
# Fails on any high-severity bandit finding and on any known vulnerability in a pinned dependency.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-$(command -v python3.11 || command -v python3)}
tools=var/security-tools
if [ ! -x "$tools/bin/bandit" ] || ! cmp -s .ci/security-tools.txt "$tools/installed.txt"; then
  rm -rf "$tools" && "$PYTHON" -m venv "$tools"
  "$tools/bin/pip" install --quiet --disable-pip-version-check -r .ci/security-tools.txt
  cp .ci/security-tools.txt "$tools/installed.txt"
fi
mkdir -p var/security
# bandit exits 1 on any finding of any severity; the gate below decides on severity, so ignore its status.
"$tools/bin/bandit" -q -c pyproject.toml -r . -f json -o var/security/bandit.json || true
"$tools/bin/pip-audit" -r requirements.lock --progress-spinner off -f json -o var/security/pip-audit.json
.venv/bin/python .ci/security_gate.py var/security/bandit.json var/security/pip-audit.json
