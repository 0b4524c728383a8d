from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from intake.questionnaire import Tree, check_questionnaire, questionnaire_notices
from intake.services import tree_version_import, tree_version_publish
from intake.terminology import value_set_notices


class Command(BaseCommand):
    help = (
        "Import a FHIR R4 Questionnaire JSON file as a new version of its question tree (filed under the "
        "Questionnaire's canonical url, else its name, title or id, in its language). Re-importing the same "
        "document changes nothing. Prints one line per problem and exits 1 on bad input."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The Questionnaire JSON file.")
        parser.add_argument("--publish", action="store_true", help="Publish the new version at once.")
        parser.add_argument(
            "--publish-draft",
            action="store_true",
            help="Publish at once even though the Questionnaire's status is draft (or missing).",
        )
        parser.add_argument("--tree", default="", help="The tree's short name (default: from the Questionnaire).")
        parser.add_argument(
            "--language", default="", help="nb or en (default: the Questionnaire's language; needed without one)."
        )

    def handle(self, *args, **options):
        # The command speaks English, as its help does; the upload form gives the same lines translated.
        with translation.override("en"):
            return self._import(**options)

    def _import(self, *, path: str, publish: bool, publish_draft: bool, tree: str, language: str, **options):
        try:
            text = Path(path).read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from None
        doc, problems = check_questionnaire(text)
        publish = publish or publish_draft
        result = None
        if not problems and doc is not None:
            try:
                result = tree_version_import(doc=doc, tree_slug=tree, language=language, file_name=Path(path).stem)
            except ValidationError as exc:
                problems = exc.messages
        if problems or result is None or doc is None:
            for problem in problems:
                self.stderr.write(f"{path}: {problem}")
            # CommandError prints one line and exits 1, without a traceback (unless --traceback).
            raise CommandError(f"{len(problems)} problem(s); nothing was imported.")
        for notice in questionnaire_notices(doc) + value_set_notices(doc) + result.notices:
            self.stdout.write(f"{path}: notice: {notice}")
        version = result.version
        name = f"{version.tree.slug} version {version.number} ({version.language})"
        if not result.created:
            self.stdout.write(f"Already imported as version {version.number}: {name}; nothing new was stored.")
        if publish and not version.is_published:
            try:
                version = tree_version_publish(version=version, allow_draft=publish_draft)
            except ValidationError as exc:
                for problem in exc.messages:
                    self.stderr.write(f"{path}: {problem}")
                hint = " Add --publish-draft to publish it anyway." if version.fhir_status == "draft" else ""
                raise CommandError(f"{name} is stored as a draft, not published.{hint}") from None
        if result.created:
            state = "published" if version.is_published else "draft"
            fhir = f"FHIR status {version.fhir_status}" + (
                f", version {version.fhir_version}" if version.fhir_version else ""
            )
            self.stdout.write(self.style.SUCCESS(f"Imported {name} ({state}; {fhir}): {len(Tree(doc).steps)} steps."))
