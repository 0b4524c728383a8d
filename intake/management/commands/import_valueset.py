from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from intake.services import terminology_import
from intake.terminology import read_terminology


class Command(BaseCommand):
    help = (
        "Import FHIR R4 ValueSets and CodeSystems (JSON files: one resource, or a Bundle of them) for "
        "Questionnaires whose answerValueSet names them. Re-importing the same resource changes nothing; a new "
        "version is added beside the old. Prints one line per resource left out and exits 1 when any was."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="FILE", help="ValueSet, CodeSystem or Bundle JSON files.")

    def handle(self, *args, **options):
        # The command speaks English, as its help does; the upload form gives the same lines translated.
        with translation.override("en"):
            return self._import(options["paths"])

    def _import(self, paths: list[str]):
        failed = 0
        for path in paths:
            try:
                text = Path(path).read_bytes()
            except OSError as exc:
                self.stderr.write(f"{path}: cannot read it: {exc.strerror}")
                failed += 1
                continue
            read = read_terminology(text)
            if read.problems:
                for problem in read.problems:
                    self.stderr.write(f"{path}: {problem}")
                failed += 1
                continue
            result = terminology_import(resources=read.resources)
            for row in result.stored:
                kind = type(row).__name__
                self.stdout.write(f"{path}: imported {kind} {row} ({_count(row)} concepts)")
            for line in read.skipped + result.refused:
                self.stderr.write(f"{path}: left out: {line}")
            stored, unchanged, refused = len(result.stored), len(result.unchanged), len(read.skipped + result.refused)
            summary = f"{path}: {stored} imported, {unchanged} already imported (unchanged), {refused} left out."
            self.stdout.write(self.style.SUCCESS(summary) if not refused else summary)
            failed += bool(refused)
        if failed:
            # CommandError prints one line and exits 1, without a traceback (unless --traceback).
            raise CommandError(f"{failed} file(s) with problems; see the lines above.")


def _count(row) -> int:
    return int(row.concept_count)
