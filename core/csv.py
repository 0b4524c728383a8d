"""Streaming, formula-safe CSV for every export (the incident list, the access log, the review report).

A cell a spreadsheet could read as a formula is neutralised (OWASP's "CSV injection" advice), and the file is
produced a line at a time, so a long export never sits whole in a worker's memory.
"""

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> str:
    """Prefix a cell that a spreadsheet would run as a formula with an apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_lines(header: Iterable[Any], rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """The CSV, one line at a time (for a streaming response)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for part in ([header], rows):
        for cells in part:
            writer.writerow([neutralise(cell) for cell in cells])
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()


def rows_to_csv(header: Iterable[Any], rows: Iterable[Iterable[Any]]) -> str:
    """The whole CSV as one string (for a small export or a command's output)."""
    return "".join(csv_lines(header, rows))


# Norwegian Excel reads a CSV with the list separator of the locale (";", since "," is the decimal sign) and
# takes a file as UTF-8 only when it starts with a byte-order mark; without both it opens in one column with
# broken æøå.
EXCEL_BOM = "\ufeff"


def excel_csv_lines(header: Iterable[Any], rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """The CSV as Norwegian Excel opens it: a byte-order mark first, ``;`` between cells, formula-safe cells,
    one line at a time."""
    yield EXCEL_BOM
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    for part in ([header], rows):
        for cells in part:
            writer.writerow([neutralise(cell) for cell in cells])
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()


def rows_to_excel_csv(header: Iterable[Any], rows: Iterable[Iterable[Any]]) -> str:
    """The whole Excel-ready CSV (``excel_csv_lines``) as one string."""
    return "".join(excel_csv_lines(header, rows))
