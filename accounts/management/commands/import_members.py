"""``manage.py import_members FILE.csv [--dry-run] [--by USERNAME]``: onboard many people at once.

The file has a header line ``unit,email,name,role`` (the unit's short name, the person's e-mail address, her
name, and one of the roles), one role per line; a person with several roles has several lines. Every line is
checked first; if any is wrong, each wrong line is named with what to fix and nothing is imported. Otherwise
each line goes through ``accounts.services.member_add``: new people get an account without a password and an
invitation mail, and every role given is audit-logged with ``--by`` (an administrator) as who did it.
"""

import csv
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from accounts.models import Unit
from accounts.roles import Role
from accounts.services import MemberError, member_add

COLUMNS = ["unit", "email", "name", "role"]


@dataclass
class Row:
    line: int
    unit: Unit
    email: str
    first_name: str
    last_name: str
    role: str


def check_row(line: int, cells: dict[str, str], units: dict[str, Unit]) -> tuple[Row | None, list[str]]:
    problems = []
    slug, email, name, role = (str(cells.get(column) or "").strip() for column in COLUMNS)
    unit = units.get(slug)
    if unit is None:
        problems.append(f"no unit with the short name {slug!r}" if slug else "the unit is empty")
    try:
        validate_email(email)
    except ValidationError:
        problems.append(f"{email!r} is not an e-mail address" if email else "the e-mail address is empty")
    if role not in Role.values:
        problems.append(f"the role {role!r} is not one of {', '.join(Role.values)}")
    first, _space, last = name.partition(" ")
    if len(first) > 150 or len(last) > 150:
        problems.append("the name is longer than 150 characters")
    if None in cells or len([c for c in cells.values() if c is not None]) != len(COLUMNS):
        problems.append(f"the line has not exactly {len(COLUMNS)} columns")
    if problems or unit is None:
        return None, problems
    return Row(line, unit, email, first, last.strip(), role), []


class Command(BaseCommand):
    help = "Give people roles in units from a CSV file (unit,email,name,role); invite the new ones."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the CSV file, UTF-8, with the header line unit,email,name,role")
        parser.add_argument("--dry-run", action="store_true", help="check the file and say what would be done")
        parser.add_argument("--by", help="username of the administrator doing it (the audit log's actor)")

    def handle(self, *args, file, dry_run, by, **options):
        actor = None
        if by:
            actor = get_user_model().objects.filter(username=by, is_superuser=True, is_active=True).first()
            if actor is None:
                raise CommandError(f"--by: no active administrator with the username {by!r}")
        try:
            with open(file, encoding="utf-8-sig", newline="") as handle:
                reader = csv.DictReader(handle)
                header = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
                if header != COLUMNS:
                    raise CommandError(f"the first line must be {','.join(COLUMNS)} (found {','.join(header)!r})")
                reader.fieldnames = COLUMNS
                lines = [(reader.line_num, row) for row in reader]
        except OSError as error:
            raise CommandError(f"cannot read {file}: {error.strerror}") from None
        except UnicodeDecodeError:
            raise CommandError(f"{file} is not UTF-8 text: save it as CSV UTF-8") from None

        units = {unit.slug: unit for unit in Unit.objects.all()}
        rows, bad = [], 0
        for line, cells in lines:
            row, problems = check_row(line, cells, units)
            if problems:
                bad += 1
                self.stderr.write(f"line {line}: " + "; ".join(problems))
            elif row is not None:
                rows.append(row)
        if bad:
            raise CommandError(f"{bad} line(s) to fix; nothing was imported")
        if dry_run:
            for row in rows:
                exists = get_user_model().objects.filter(email__iexact=row.email).exists()
                what = "would give the role to" if exists else "would invite"
                self.stdout.write(f"line {row.line}: {what} {row.email} as {row.role} in {row.unit.slug}")
            self.stdout.write(f"{len(rows)} line(s) checked; nothing was changed (dry run)")
            return
        failed, invited = [], set()
        with transaction.atomic():
            for row in rows:
                try:
                    with transaction.atomic():
                        added = member_add(
                            by=actor,
                            unit=row.unit,
                            email=row.email,
                            role=row.role,
                            first_name=row.first_name,
                            last_name=row.last_name,
                            invite=row.email.lower() not in invited,
                        )
                except MemberError as error:
                    failed.append(f"line {row.line}: {error}")
                    continue
                if added.invited:
                    invited.add(row.email.lower())
                what = "invited" if added.invited else "gave the role to"
                self.stdout.write(f"line {row.line}: {what} {row.email} as {row.role} in {row.unit.slug}")
            if failed:
                for message in failed:
                    self.stderr.write(message)
                transaction.set_rollback(True)
                raise CommandError(f"{len(failed)} line(s) could not be imported; nothing was imported")
        self.stdout.write(f"{len(rows)} line(s) imported")
