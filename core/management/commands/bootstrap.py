from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from core.bootstrap import BootstrapError, bootstrap


class Command(BaseCommand):
    help = (
        "First run of a new installation (after migrate), safe to repeat: publishes the shipped intake question "
        "trees, creates the shipped safety-plan checklist, and, with --unit, offers the seed routines to that "
        "unit's editors as drafts. Adds only what is missing; never changes what editors have changed; makes no "
        "people and no records."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--unit",
            metavar="SLUG",
            help="The unit (its short name) that owns the seed routines; its editors find them as drafts. Without "
            "it the routines are left out (create the unit in the admin first, then run bootstrap again with it).",
        )

    def handle(self, *args: Any, unit: str | None = None, **options: Any) -> None:
        try:
            with transaction.atomic():
                lines = bootstrap(unit_slug=unit)
        except BootstrapError as error:
            raise CommandError(str(error)) from None
        for line in lines:
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Bootstrap done."))
