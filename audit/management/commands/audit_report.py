"""The periodic access review on the command line: reads outside the reader's own cases or unit."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.models import Unit
from audit import review as audit_review
from audit.services import audit_log
from core.csv import rows_to_csv


def _date(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{option} must be a date written YYYY-MM-DD, got {value!r}.") from None


class Command(BaseCommand):
    help = (
        "List reads of intakes, safety plans and incident reports outside the reader's own cases or unit "
        "(see audit/review.py for the rules), and print how many there were."
    )

    def add_arguments(self, parser):
        parser.add_argument("--since", required=True, help="First day to include, YYYY-MM-DD.")
        parser.add_argument("--until", help="Last day to include, YYYY-MM-DD (default: today).")
        parser.add_argument("--unit", help="Only this unit's records and members (the unit's short name).")
        parser.add_argument("--format", choices=["text", "csv"], default="text")

    def handle(self, *args, since, until, unit, format, **options):
        since = _date(since, "--since")
        until = _date(until, "--until") if until else None
        if until and until < since:
            raise CommandError("--until cannot be before --since.")
        units = None
        if unit:
            units = Unit.objects.filter(slug=unit)
            if not units.exists():
                raise CommandError(f"No unit with the short name {unit!r}.")
        review = audit_review.flagged_reads(since=since, until=until, units=units)
        if format == "csv":
            header = ["when", "username", "action", "record_type", "record_id", "unit", "reason"]
            self.stdout.write(rows_to_csv(header, (self._cells(read) for read in review.flagged)), ending="")
        else:
            for read in review.flagged:
                self.stdout.write("  ".join(cell or "-" for cell in self._cells(read)))
        audit_log(actor=None, action="audit.report_made")
        summary = f"{len(review.flagged)} flagged reads of {review.examined} reads examined since {since:%Y-%m-%d}."
        # The CSV stays a clean table: the summary goes to stderr there.
        (self.stderr if format == "csv" else self.stdout).write(summary)

    @staticmethod
    def _cells(read) -> list[str]:
        return [
            timezone.localtime(read.at).strftime("%Y-%m-%d %H:%M"),
            read.actor.username if read.actor else "",
            read.action,
            read.target_type,
            read.target_id,
            read.unit.slug if read.unit else "",
            read.reason,
        ]
