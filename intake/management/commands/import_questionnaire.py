from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from intake.questionnaire import check_questionnaire
from intake.services import tree_version_create, tree_version_publish


class Command(BaseCommand):
    help = (
        "Import a FHIR R4 Questionnaire JSON file as a new version of its question tree (filed under the "
        "Questionnaire's name, in its language). Prints one line per problem and exits 1 on bad input."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The Questionnaire JSON file.")
        parser.add_argument("--publish", action="store_true", help="Publish the new version at once.")
        parser.add_argument("--tree", default="", help="The tree's short name (default: the Questionnaire's name).")
        parser.add_argument("--language", default="", help="nb or en (default: the Questionnaire's language).")

    def handle(self, *args, **options):
        # The command speaks English, as its help does; the upload form gives the same lines translated.
        with translation.override("en"):
            return self._import(**options)

    def _import(self, *, path: str, publish: bool, tree: str, language: str, **options):
        try:
            text = Path(path).read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from None
        doc, problems = check_questionnaire(text)
        if not problems:
            try:
                version = tree_version_create(doc=doc, tree_slug=tree, language=language)
                if publish:
                    version = tree_version_publish(version=version)
            except ValidationError as exc:
                problems = exc.messages
        if problems:
            for problem in problems:
                self.stderr.write(f"{path}: {problem}")
            # CommandError prints one line and exits 1, without a traceback (unless --traceback).
            raise CommandError(f"{len(problems)} problem(s); nothing was imported.")
        state = "published" if version.is_published else "draft"
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {version.tree.slug} version {version.number} ({version.language}, {state}): "
                f"{len(doc.get('item', []))} steps."
            )
        )
