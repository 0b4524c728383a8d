#!/bin/bash
# The encrypted nightly database dump, and its restore (docs/deployment.md, "Backups").
#
#   backup.sh backup
#       pg_dump of BACKUP_DATABASE_URL, encrypted with age to BACKUP_AGE_RECIPIENT (a public key whose private
#       half is on no server) before it touches a disk, the row counts beside it, both copied to BACKUP_REMOTE
#       with rclone (storage the servers can write to but not delete from). Local copies older than two days
#       go. Installed as /usr/local/bin/krisestotte-backup and run by deploy/systemd/krisestotte-backup.timer.
#
#   backup.sh restore DUMP.age COUNTS AGE_KEY_FILE
#       into a new database RESTORE_DB (default krisestotte_restore) on RESTORE_HOST as RESTORE_OWNER (the role
#       `migrate` runs as), then checks it: the release's migrations all applied, every table's row count as in
#       COUNTS, the audit log's trigger enabled; then runs purge_expired, so what expired since the dump goes
#       before anyone logs in. Needs the app's environment (APP_DIR, default /srv/krisestotte, and its
#       variables) for the two manage.py steps. It never touches the live database: pointing the app at the
#       restored one is a separate, deliberate step (docs/deployment.md).
#
# Variables: BACKUP_DATABASE_URL, BACKUP_AGE_RECIPIENT, BACKUP_REMOTE (e.g. offsite:krisestotte-backups),
# BACKUP_DIR (default /var/backups/krisestotte), ROW_COUNTS_SQL (default: row-counts.sql beside this script,
# or /usr/local/share/krisestotte/row-counts.sql).
set -euo pipefail   # pipefail: a failing pg_dump fails the job even though age reads its output
umask 077

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
row_counts_sql="${ROW_COUNTS_SQL:-}"
if [ -z "$row_counts_sql" ]; then
  if [ -f "$here/row-counts.sql" ]; then
    row_counts_sql="$here/row-counts.sql"
  else
    row_counts_sql=/usr/local/share/krisestotte/row-counts.sql
  fi
fi

die() { echo "backup.sh: $*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || die "$1 is missing (Debian: $2)"; }

backup() {
  : "${BACKUP_DATABASE_URL:?set BACKUP_DATABASE_URL}" "${BACKUP_AGE_RECIPIENT:?set BACKUP_AGE_RECIPIENT}"
  : "${BACKUP_REMOTE:?set BACKUP_REMOTE (an rclone remote and folder)}"
  need pg_dump postgresql-client; need psql postgresql-client; need age age; need rclone rclone
  local dir="${BACKUP_DIR:-/var/backups/krisestotte}" day
  day="$(date +%F)"
  mkdir -p "$dir"
  pg_dump -Fc --no-owner -d "$BACKUP_DATABASE_URL" | age -r "$BACKUP_AGE_RECIPIENT" > "$dir/$day.dump.age.part"
  mv "$dir/$day.dump.age.part" "$dir/$day.dump.age"   # only a whole dump gets its final name
  # Row counts per table next to the dump (numbers only), for the check after a restore.
  psql -d "$BACKUP_DATABASE_URL" -At -F ' ' -f "$row_counts_sql" > "$dir/$day.counts"
  rclone copy --exclude '*.part' "$dir" "$BACKUP_REMOTE"
  find "$dir" -type f -mtime +2 -delete   # the local copies are only a buffer
  echo "backup.sh: $day.dump.age ($(stat -c %s "$dir/$day.dump.age") bytes) copied to $BACKUP_REMOTE"
}

restore() {
  [ $# -eq 3 ] || die "usage: backup.sh restore DUMP.age COUNTS AGE_KEY_FILE"
  local dump_age="$1" counts="$2" key="$3"
  local host="${RESTORE_HOST:?set RESTORE_HOST}" owner="${RESTORE_OWNER:?set RESTORE_OWNER}"
  local db="${RESTORE_DB:-krisestotte_restore}" app="${APP_DIR:-/srv/krisestotte}"
  need age age; need createdb postgresql-client; need pg_restore postgresql-client; need psql postgresql-client
  [ -f "$dump_age" ] && [ -f "$counts" ] && [ -f "$key" ] || die "dump, counts or key file not found"
  local plain
  plain="$(mktemp --suffix=.dump)"
  trap 'shred -u "$plain" 2>/dev/null || rm -f "$plain"' EXIT
  age -d -i "$key" "$dump_age" > "$plain"
  createdb -h "$host" -U "$owner" "$db"
  # All or nothing: any error rolls the whole restore back.
  pg_restore --no-owner --exit-on-error --single-transaction -h "$host" -U "$owner" -d "$db" "$plain"

  local url="postgres://$owner@$host/$db"
  # The schema is the release's: exits 1 if a migration is missing (restore onto the release that made the dump).
  (cd "$app" && DATABASE_URL="$url" .venv/bin/python manage.py migrate --check)
  # Every table has the rows the dump had (tables written during the dump's minute may differ by a few rows).
  if ! psql -h "$host" -U "$owner" -d "$db" -At -F ' ' -f "$row_counts_sql" | diff "$counts" -; then
    echo "backup.sh: row counts differ (see above); audit and session tables may be a few rows larger" >&2
  fi
  # The audit log's append-only trigger is back and enabled ("O").
  local trigger
  trigger="$(psql -h "$host" -U "$owner" -d "$db" -Atc \
    "SELECT tgenabled FROM pg_trigger WHERE tgname = 'accounts_auditevent_append_only'")"
  [ "$trigger" = "O" ] || die "the audit log's trigger is missing or disabled (got '$trigger')"
  # What expired since the dump goes again, before anyone logs in.
  (cd "$app" && DATABASE_URL="$url" .venv/bin/python manage.py purge_expired)
  echo "backup.sh: restored into $db on $host; point the app at it as docs/deployment.md describes"
}

case "${1:-}" in
  backup) shift; backup "$@" ;;
  restore) shift; restore "$@" ;;
  *) die "usage: backup.sh backup | backup.sh restore DUMP.age COUNTS AGE_KEY_FILE" ;;
esac
