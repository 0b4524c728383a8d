#!/usr/bin/env bash
# Makes sure the system packages the app needs are present.
#   system-packages.sh runtime   Pango/HarfBuzz for WeasyPrint, fonts, gettext for translations
#   system-packages.sh test      the above plus Debian's Chromium for the browser tests, and the npm package
#                                oidc-provider (tests/oidc/provider, `npm ci`) for the single sign-on tests
#   system-packages.sh bench     the runtime ones plus wrk, the load generator of `make bench`, and Chromium
#                                for its first-paint step (benchmarks/first_paint.py)
# As root on Debian/Ubuntu it installs what is missing with apt-get; anywhere else it stops and prints the
# exact command to run. Used by `make setup`, `make test` and .ci/run.
set -euo pipefail

mode="${1:-runtime}"
runtime=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core gettext)
testing=(chromium poppler-utils clamav clamav-daemon)
bench=(wrk chromium)
want=("${runtime[@]}")
if [ "$mode" = "test" ]; then want+=("${testing[@]}"); fi
if [ "$mode" = "bench" ]; then want+=("${bench[@]}"); fi

# The single sign-on tests run a real OpenID Connect provider (oidc-provider) under node. Installed from its
# package-lock.json where node and npm are present; without node those tests skip and say why.
if [ "$mode" = "test" ]; then
  provider_dir="$(dirname "$0")/../tests/oidc/provider"
  if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
    if [ ! -f "$provider_dir/node_modules/.package-lock.json" ] \
      || [ "$provider_dir/package-lock.json" -nt "$provider_dir/node_modules/.package-lock.json" ]; then
      echo "Installing the test OpenID Connect provider (npm ci in tests/oidc/provider)"
      (cd "$provider_dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    fi
  else
    echo "No node/npm: the single sign-on tests will be skipped (install Node.js 20 or later to run them)." >&2
  fi
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
  # Not a Debian system: check by what the app actually uses.
  missing=()
  command -v msgfmt >/dev/null 2>&1 || missing+=("gettext")
  python3 -c 'import ctypes.util, sys; sys.exit(0 if ctypes.util.find_library("pango-1.0") else 1)' \
    || missing+=("pango")
  if [ "$mode" = "test" ] && [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then missing+=("chromium"); fi
  if [ "$mode" = "bench" ]; then command -v wrk >/dev/null 2>&1 || missing+=("wrk"); fi
  if [ ${#missing[@]} -gt 0 ]; then
    echo "Missing system software: ${missing[*]}" >&2
    echo "Install it with your package manager, e.g. on macOS: brew install ${missing[*]}" >&2
    echo "(for chromium, set CHROMIUM_PATH to the browser binary), then run make again." >&2
    exit 1
  fi
  exit 0
fi

missing=()
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null | grep -qx installed || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi

install_cmd="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  $install_cmd -qq >/dev/null
else
  echo "Missing system packages: ${missing[*]}" >&2
  echo "Install them with:" >&2
  echo "  sudo apt-get update && sudo $install_cmd" >&2
  echo "then run make again." >&2
  exit 1
fi
