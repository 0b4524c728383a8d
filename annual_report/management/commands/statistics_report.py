from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from accounts.models import Unit
from annual_report.report import build_report, cell_text, report_csv, report_xlsx
from annual_report.services import report_make_final
from audit.services import audit_log


class Command(BaseCommand):
    help = (
        "Print a unit's annual report for a year (figures and tables, small counts suppressed), or write it as "
        "CSV or XLSX. With --destroy-key, destroy the year's pseudonym key afterwards (once the report is final)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="The unit's short name (slug).")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--format", choices=["text", "csv", "xlsx"], default="text")
        parser.add_argument("--output", default="", help="Write the file here (needed for xlsx).")
        parser.add_argument("--language", default="nb", choices=["nb", "en"])
        parser.add_argument("--destroy-key", action="store_true", help="Destroy the year's pseudonym key.")

    def handle(self, *args, unit: str, year: int, format: str, output: str, language: str, destroy_key: bool, **o):
        found = Unit.objects.filter(slug=unit).first()
        if found is None:
            raise CommandError(f"No unit with the short name {unit!r}.")
        if format == "xlsx" and not output:
            raise CommandError("--format xlsx needs --output FILE.")
        if destroy_key and year >= timezone.localdate().year:
            raise CommandError(f"{year} is not over: its people are still being counted. Destroy its key once it is.")
        with translation.override(language):
            report = build_report(found, year, language=language)
            if format == "text":
                text = self._text(report)
            elif format == "csv":
                text = report_csv(report)
            if output:
                data = report_xlsx(report) if format == "xlsx" else text.encode()
                Path(output).write_bytes(data)
                self.stdout.write(f"Wrote {output} ({len(data)} bytes).")
            else:
                self.stdout.write(text)
        audit_log(actor=None, action="statistics.report_downloaded", unit=found)
        if destroy_key:
            report_make_final(unit=found, year=year, user=None, today_year=timezone.localdate().year)
            self.stdout.write(f"Destroyed the pseudonym key of {found.slug} for {year}.")

    def _text(self, report) -> str:
        lines = [f"{report.unit.name} {report.year} (previous year in brackets)"]
        for f in report.figures:
            lines.append(f"  {f.label}: {cell_text(f.value)} ({cell_text(f.previous)})")
        for table in report.tables:
            lines.append("")
            lines.append(str(table.title))
            for row in table.rows:
                lines.append(f"  {row.label}: {cell_text(row.value)} ({cell_text(row.previous)})")
            if table.adds_up:
                lines.append(f"  = {cell_text(table.total)} ({cell_text(table.previous_total)})")
        return "\n".join(lines) + "\n"
