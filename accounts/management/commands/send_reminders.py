from typing import Any

from django.core.management.base import BaseCommand

from accounts.reminders import reminders_enqueue


class Command(BaseCommand):
    help = (
        "Enqueue today's reminder e-mail for every person who has not turned it off: one task per person, sent by "
        "the task worker, in her language, with counts and links only; nothing is sent to someone for whom nothing "
        "waits. Run once a day (deploy/systemd/krisestotte-reminders.timer); running it again the same day, or on "
        "another server, enqueues nothing twice. Prints counts only."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = reminders_enqueue()
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.enqueued} reminder(s) enqueued; {result.already} already enqueued today; "
                f"{result.deleted} old row(s) deleted."
            )
        )
