"""The incident list as a spreadsheet: XLSX (openpyxl) and a CSV Norwegian Excel opens (``core.csv``).

Free text (place, what happened) is left out unless asked for: it is where names and numbers end up, and most
uses of an export (statistics, a report to the HSE committee) do not need it. Every cell a spreadsheet could
run as a formula is neutralised in both formats.
"""

import io
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from core.csv import neutralise
from incidents.models import Incident

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _when(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def export_header(*, free_text: bool) -> list[str]:
    header = [
        _("Id"),
        _("Type"),
        _("When it happened"),
        _("Reported"),
        _("Response deadline"),
        _("Unit"),
        _("State"),
        _("Closed"),
        _("Overdue actions"),
        _("Personal data warning overridden"),
    ]
    if free_text:
        header += [_("Place"), _("What happened")]
    return header


def export_rows(incidents: QuerySet[Incident], *, free_text: bool) -> Iterator[list[Any]]:
    """One row per report, in ``export_header``'s order; the queryset comes from ``selectors.with_overdue_flag``."""
    for i in incidents.iterator(chunk_size=2000):
        row: list[Any] = [
            str(i.pk),
            i.get_type_display(),
            _when(i.occurred_at),
            _when(i.reported_at),
            _when(i.response_deadline),
            i.unit.name,
            i.get_state_display(),
            _when(i.closed_at),
            _("yes") if getattr(i, "has_overdue", False) else "",
            _("yes") if i.pii_overridden else "",
        ]
        if free_text:
            row += [i.place, i.what_happened]
        yield row


def to_xlsx(header: list[str], rows: Iterable[list[Any]], *, title: str) -> bytes:
    """A one-sheet workbook: a bold, frozen header row, then the rows as text (never a formula)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for label in header:
        cell = WriteOnlyCell(sheet, value=label)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([neutralise(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
