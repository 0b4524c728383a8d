"""CSV export of the managers' list. A cell a spreadsheet could read as a formula is neutralised."""

import csv
import io

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value) -> str:
    """Prefix a cell that a spreadsheet would run as a formula with an apostrophe (OWASP's advice)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_lines(header: list[str], rows):
    """The CSV, one line at a time (for a streaming response: a long export never sits whole in memory)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in ([header], rows):
        for cells in row:
            writer.writerow([neutralise(cell) for cell in cells])
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()


def rows_to_csv(header: list[str], rows) -> str:
    return "".join(csv_lines(header, rows))
