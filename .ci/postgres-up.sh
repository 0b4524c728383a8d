#!/usr/bin/env bash
# Makes sure PostgreSQL answers on 127.0.0.1:5432 (trust auth on our machines) and its client tools are there:
# as root on Debian it installs postgresql if missing and starts the newest cluster if it is down.
# Used by .ci/run and `make restore-drill`.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi

if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  # shellcheck disable=SC2012  # cluster folders are version numbers
  version=$(ls /etc/postgresql | sort -n | tail -n 1)
  # Fails if the cluster is just stopping or starting (someone else restarting it); the wait decides.
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
fi
pg_isready -h 127.0.0.1 -p 5432

# pg_dump and pg_restore of the server's version (the restore drill); Debian's postgresql pulls them in, a
# server elsewhere may not have them.
server=$(psql -h 127.0.0.1 -U postgres -d postgres -Atqc 'SHOW server_version_num')
major=$(( server / 10000 ))
bin="/usr/lib/postgresql/$major/bin"
if { [ ! -x "$bin/pg_dump" ] || [ ! -x "$bin/pg_restore" ]; } && command -v apt-get >/dev/null 2>&1 \
   && [ "$(id -u)" = "0" ]; then
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "postgresql-client-$major" >/dev/null
fi
