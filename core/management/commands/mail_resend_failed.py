from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from core.mail import mail_resend_failed


class Command(BaseCommand):
    help = (
        "Send again every e-mail that was given up after its last attempt (a long mail-server outage): each gets "
        "a fresh set of attempts through the task worker, and its failed task row is deleted. Prints a count only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Only count the given-up mails; change nothing.")

    def handle(self, *args: Any, dry_run: bool, **options: Any) -> None:
        count = mail_resend_failed(dry_run=dry_run)
        if dry_run:
            self.stdout.write(f"{count} given-up mail(s) would be sent again.")
        else:
            self.stdout.write(self.style.SUCCESS(f"{count} given-up mail(s) enqueued again."))
