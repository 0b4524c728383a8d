"""The report page's shown values and bar charts."""

from dataclasses import dataclass

from django import template

from annual_report.report import Table
from annual_report.suppression import HIDDEN, SUPPRESS_BELOW

register = template.Library()

BAR_MAX = 300  # px of the 600 px wide chart, after the 250 px of labels
ROW = 20


@register.filter
def shown(value: int | None) -> str:
    return f"<{SUPPRESS_BELOW}" if value is HIDDEN else str(value)


@dataclass
class Bar:
    label: str
    value: int | None
    hidden: bool
    y: int
    width: int

    @property
    def y_text(self) -> int:
        return self.y + 11

    @property
    def x_value(self) -> int:
        return 250 + self.width + 6


@dataclass
class Chart:
    bars: list[Bar]

    @property
    def height(self) -> int:
        return max(len(self.bars) * ROW, ROW)


@register.filter
def chart(table: Table) -> Chart:
    """This year's shown cells as bars scaled to the largest; hidden cells get no bar, only "<5"."""
    top = max([r.value or 0 for r in table.rows] + [1])
    bars = [
        Bar(
            label=str(row.label),
            value=row.value,
            hidden=row.value is HIDDEN,
            y=i * ROW + 2,
            width=round(BAR_MAX * (row.value or 0) / top),
        )
        for i, row in enumerate(table.rows)
    ]
    return Chart(bars=bars)
