"""Anonymous intake statistics for managers: counts per month and help offered, small cells suppressed."""

from dataclasses import dataclass

from django.db.models import Count

from accounts.models import Membership, Unit
from accounts.roles import Role
from intake.models import IntakeStatistic

# Counts below this are shown as "<5": in a small centre, "1 person brought by the police in March with an
# interpreter" can be enough to tell who it was.
SUPPRESS_BELOW = 5


def statistics_units(user) -> list[Unit]:
    """The units whose statistics the user may see: those she manages."""
    return list(
        Unit.objects.filter(pk__in=Membership.objects.filter(user=user, role=Role.MANAGER).values("unit")).order_by(
            "name"
        )
    )


@dataclass
class Table:
    columns: list[tuple[str, str]]  # (help code, name)
    # (month, cells), cells already suppressed. No row or column totals: a total next to one suppressed
    # cell would give that cell away by subtraction.
    rows: list[tuple[object, list[str]]]
    suppressed: bool


def shown(count: int) -> str:
    return f"<{SUPPRESS_BELOW}" if 0 < count < SUPPRESS_BELOW else str(count)


def statistics_table(units: list[Unit], names: dict[str, str]) -> Table:
    counts = (
        IntakeStatistic.objects.filter(unit__in=units)
        .values("month", "help_offered")
        .annotate(n=Count("id"))
        .order_by("-month", "help_offered")
    )
    by_month: dict = {}
    codes: list[str] = list(names)
    for row in counts:
        by_month.setdefault(row["month"], {})[row["help_offered"]] = row["n"]
        if row["help_offered"] not in codes:
            codes.append(row["help_offered"])
    rows, suppressed = [], False
    for month, cells in by_month.items():
        values = [cells.get(code, 0) for code in codes]
        suppressed = suppressed or any(0 < v < SUPPRESS_BELOW for v in values)
        rows.append((month, [shown(v) for v in values]))
    return Table(columns=[(code, names.get(code, code)) for code in codes], rows=rows, suppressed=suppressed)
