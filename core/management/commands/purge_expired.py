from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from core.retention import purge_expired, summary_lines


class Command(BaseCommand):
    help = (
        "Delete intakes (with their journal notes) and safety plans, and anonymise closed incident reports, "
        "past their retention period (settings.RETENTION). Keeps the anonymous statistics and the audit log. "
        "Safe to run daily from cron and twice at once: a second run finds the lock taken and does nothing. "
        "Prints and logs counts only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Only count what would be deleted or anonymised; change nothing."
        )

    def handle(self, *args: Any, dry_run: bool, **options: Any) -> None:
        # The command speaks English, as its help does: its output goes to operators' logs.
        with translation.override("en"):
            try:
                result = purge_expired(dry_run=dry_run)
            except ImproperlyConfigured as exc:
                # One line and exit 1, without a traceback.
                raise CommandError(str(exc)) from None
        if result.locked_out:
            self.stdout.write("Another purge_expired run is in progress; nothing done.")
            return
        for line in summary_lines(result):
            self.stdout.write(line)
        if result.statistics_written:
            verb = "would be written" if dry_run else "were written before deleting"
            self.stdout.write(f"intake statistics: {result.statistics_written} missing row(s) {verb}")
        self.stdout.write(self.style.SUCCESS("Dry run: nothing was changed." if dry_run else "Done."))
