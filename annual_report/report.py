"""The annual report of one unit for one year, from the anonymous statistics only: its figures, its tables
per dimension (with last year's beside them), suppressed as ``annual_report.suppression`` says, and its
CSV and XLSX files. docs/statistics.md lists the dimensions and where each comes from."""

import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db.models import Count, Sum
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Unit
from annual_report.models import ChildCount, ContactCount, Group, PersonAnswer, PersonCount
from annual_report.services import CHILD_AGE_GROUPS
from annual_report.suppression import HIDDEN, SUPPRESS_BELOW, shown_count, suppress_independent, suppress_partition
from core.csv import neutralise, rows_to_excel_csv

# Codes outside a question's options: a person who consented but was not asked or did not say, and a person
# who declined consent (nothing but the count is kept).
NOT_ANSWERED = "not-answered"
NO_CONSENT = "no-consent"
# Contact kinds as written by contacts.counting (kept here as text: this app imports no case app).
STAY, DAY_VISIT, PHONE = "stay", "day-visit", "phone"
WENT_TO = (
    ("own-home", gettext_lazy("A new home of their own")),
    ("back-to-perpetrator", gettext_lazy("Back to the perpetrator")),
    ("family-friends", gettext_lazy("Family or friends")),
    ("other-shelter", gettext_lazy("Another crisis centre or shelter")),
    ("other", gettext_lazy("Somewhere else")),
    ("unknown", gettext_lazy("Not known")),
)


@dataclass
class Row:
    code: str
    label: str | Promise
    value: int | None  # None: hidden
    previous: int | None


@dataclass
class Table:
    key: str
    title: str | Promise
    rows: list[Row]
    total: int | None = None
    previous_total: int | None = None
    adds_up: bool = True  # False: several answers per person, the cells do not add up to the total
    withheld: bool = False

    @property
    def max_value(self) -> int:
        return max([r.value or 0 for r in self.rows] + [r.previous or 0 for r in self.rows] + [1])

    @property
    def has_hidden(self) -> bool:
        return any(r.value is HIDDEN or r.previous is HIDDEN for r in self.rows)


@dataclass
class Figure:
    key: str
    label: str | Promise
    value: int | None
    previous: int | None


@dataclass
class AnnualReport:
    unit: Unit
    year: int
    figures: list[Figure]
    tables: list[Table] = field(default_factory=list)
    threshold: int = SUPPRESS_BELOW

    @property
    def empty(self) -> bool:
        return not any(f.value for f in self.figures)


# --- Counting ----------------------------------------------------------------------------------------------------


@dataclass
class _Year:
    """The raw counts of one year, before suppression."""

    people: dict[str, int]
    declined: dict[str, int]
    answers: dict[tuple[str, str, str], int]  # (group, dimension, code) -> people
    answered: dict[tuple[str, str], int]  # (group, dimension) -> consenting people with an answer
    contacts: dict[str, int]
    days: int
    went_to: dict[str, int]
    children: dict[str, int]
    child_days: int


def _count_year(unit: Unit, year: int) -> _Year:
    persons = PersonCount.objects.filter(unit=unit, year=year)
    people = dict(persons.values_list("group").annotate(n=Count("id")).values_list("group", "n"))
    declined = dict(persons.filter(pseudonym="").values_list("group").annotate(n=Count("id")).values_list("group", "n"))
    answer_rows = PersonAnswer.objects.filter(person__unit=unit, person__year=year)
    answers = {
        (g, d, c): n
        for g, d, c, n in answer_rows.values_list("person__group", "dimension", "code")
        .annotate(n=Count("person", distinct=True))
        .values_list("person__group", "dimension", "code", "n")
    }
    answered = {
        (g, d): n
        for g, d, n in answer_rows.values_list("person__group", "dimension")
        .annotate(n=Count("person", distinct=True))
        .values_list("person__group", "dimension", "n")
    }
    contacts_qs = ContactCount.objects.filter(unit=unit, year=year)
    contacts = dict(contacts_qs.values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
    stays = contacts_qs.filter(kind=STAY)
    went_to = dict(stays.values_list("went_to").annotate(n=Count("id")).values_list("went_to", "n"))
    children_qs = ChildCount.objects.filter(unit=unit, year=year)
    children = dict(children_qs.values_list("age_group").annotate(n=Count("id")).values_list("age_group", "n"))
    return _Year(
        people=people,
        declined=declined,
        answers=answers,
        answered=answered,
        contacts=contacts,
        days=stays.aggregate(n=Sum("days"))["n"] or 0,
        went_to=went_to,
        children=children,
        child_days=children_qs.aggregate(n=Sum("days"))["n"] or 0,
    )


# --- Building the report -----------------------------------------------------------------------------------------


def _partition(
    key: str,
    title,
    categories: list[tuple[str, object]],
    now: dict[str, int],
    before: dict[str, int],
    fixed: Iterable[str] = (),
) -> Table:
    codes = [code for code, _label in categories]
    fixed_at = [codes.index(code) for code in fixed if code in codes]
    shown_now = suppress_partition([now.get(c, 0) for c in codes], fixed=fixed_at)
    shown_before = suppress_partition([before.get(c, 0) for c in codes], fixed=fixed_at)
    rows = [
        Row(code=code, label=str(label), value=shown_now.cells[i], previous=shown_before.cells[i])
        for i, (code, label) in enumerate(categories)
    ]
    return Table(
        key=key,
        title=title,
        rows=rows,
        total=shown_now.total,
        previous_total=shown_before.total,
        withheld=all(v is HIDDEN for v in shown_now.cells) and any(now.values()),
    )


def _independent(key: str, title, categories, now: dict[str, int], before: dict[str, int], total, previous_total):
    codes = [code for code, _label in categories]
    values = suppress_independent([now.get(c, 0) for c in codes])
    previous = suppress_independent([before.get(c, 0) for c in codes])
    rows = [
        Row(code=code, label=str(label), value=values[i], previous=previous[i])
        for i, (code, label) in enumerate(categories)
    ]
    return Table(key=key, title=title, rows=rows, total=total, previous_total=previous_total, adds_up=False)


def _dimension_counts(y: _Year, group: str, link_id: str, repeats: bool) -> dict[str, int]:
    """People per answer code of one question, with those who consented but did not answer (a question with
    one answer) and those who declined consent."""
    found = {code: n for (g, d, code), n in y.answers.items() if g == group and d == link_id}
    consenting = y.people.get(group, 0) - y.declined.get(group, 0)
    if not repeats:
        found[NOT_ANSWERED] = consenting - y.answered.get((group, link_id), 0)
    found[NO_CONSENT] = y.declined.get(group, 0)
    return found


def _dimension_tables(group: str, group_label, questions, now: _Year, before: _Year) -> list[Table]:
    tables = []
    for link_id, text, options, repeats in questions:
        c_now = _dimension_counts(now, group, link_id, repeats)
        c_before = _dimension_counts(before, group, link_id, repeats)
        known = [code for code, _label in options]
        extra = sorted({c for c in (*c_now, *c_before) if c not in known and c not in (NOT_ANSWERED, NO_CONSENT)})
        categories = [*options, *[(code, code) for code in extra]]
        if not repeats:
            categories.append((NOT_ANSWERED, _("Not answered")))
        categories.append((NO_CONSENT, _("No consent to register")))
        key = f"{group}-{link_id}"
        title = f"{group_label}: {text}"
        if repeats:
            total = shown_count(now.people.get(group, 0))
            previous_total = shown_count(before.people.get(group, 0))
            tables.append(_independent(key, title, categories, c_now, c_before, total, previous_total))
        else:
            tables.append(_partition(key, title, categories, c_now, c_before, fixed=[NO_CONSENT]))
    return tables


def registration_questions(language: str) -> list[tuple[str, str, list[tuple[str, str]], bool]]:
    """The dimensions: the published registration form's choice questions (linkId, text, options, repeats).

    Read from intake's question trees by name: the report does not import the contacts app."""
    from intake.questionnaire import Tree
    from intake.selectors import current_tree_version

    version = current_tree_version("statistics-registration", language)
    if version is None:
        return []
    tree = Tree(version.questionnaire)
    return [
        (item.link_id, item.text, [(o["code"], o["display"]) for o in tree.options(item)], item.repeats)
        for item in tree.questions
        if item.type in {"choice", "open-choice"}
    ]


def build_report(unit: Unit, year: int, *, language: str) -> AnnualReport:
    now, before = _count_year(unit, year), _count_year(unit, year - 1)

    def fig(key, label, now_value, before_value, *, hide_with=None):
        value, previous = shown_count(now_value), shown_count(before_value)
        if hide_with is not None:  # days of stay go with the stays: the days of one or two stays tell too much
            value = HIDDEN if shown_count(hide_with[0]) is HIDDEN else value
            previous = HIDDEN if shown_count(hide_with[1]) is HIDDEN else previous
        return Figure(key=key, label=label, value=value, previous=previous)

    figures = [
        fig("residents", _("Residents"), now.people.get(Group.RESIDENT, 0), before.people.get(Group.RESIDENT, 0)),
        fig("stays", _("Stays"), now.contacts.get(STAY, 0), before.contacts.get(STAY, 0)),
        fig(
            "days",
            _("Days of stay"),
            now.days,
            before.days,
            hide_with=(now.contacts.get(STAY, 0), before.contacts.get(STAY, 0)),
        ),
        fig("day-users", _("Day users"), now.people.get(Group.DAY_USER, 0), before.people.get(Group.DAY_USER, 0)),
        fig("day-visits", _("Day visits"), now.contacts.get(DAY_VISIT, 0), before.contacts.get(DAY_VISIT, 0)),
        fig("phone", _("Phone conversations"), now.contacts.get(PHONE, 0), before.contacts.get(PHONE, 0)),
        fig(
            "children", _("Children staying with a resident"), sum(now.children.values()), sum(before.children.values())
        ),
        fig(
            "child-days",
            _("Children's days of stay"),
            now.child_days,
            before.child_days,
            hide_with=(sum(now.children.values()), sum(before.children.values())),
        ),
    ]
    questions = registration_questions(language)
    tables = [
        *_dimension_tables(Group.RESIDENT, _("Residents"), questions, now, before),
        _partition(
            "stays-went-to", _("Stays: where the resident went afterwards"), list(WENT_TO), now.went_to, before.went_to
        ),
        *_dimension_tables(Group.DAY_USER, _("Day users"), questions, now, before),
        _partition(
            "children-age",
            _("Children staying with a resident, by age"),
            [
                (name, _("%(low)s to %(high)s years") % {"low": low, "high": high})
                for name, low, high in CHILD_AGE_GROUPS
            ],
            now.children,
            before.children,
        ),
    ]
    return AnnualReport(unit=unit, year=year, figures=figures, tables=tables)


# --- Files -------------------------------------------------------------------------------------------------------


def cell_text(value: int | None) -> str:
    return f"<{SUPPRESS_BELOW}" if value is HIDDEN else str(value)


def report_rows(report: AnnualReport) -> Iterator[list[str]]:
    """Every published figure as (table, category, this year, last year): what the CSV and XLSX hold."""
    figures = _("Figures")
    for f in report.figures:
        yield [figures, str(f.label), cell_text(f.value), cell_text(f.previous)]
    for table in report.tables:
        for row in table.rows:
            yield [str(table.title), str(row.label), cell_text(row.value), cell_text(row.previous)]
        if table.adds_up:
            yield [str(table.title), _("Total"), cell_text(table.total), cell_text(table.previous_total)]


def report_header(report: AnnualReport) -> list[str]:
    return [_("Table"), _("Category"), str(report.year), str(report.year - 1)]


def report_csv(report: AnnualReport) -> str:
    return rows_to_excel_csv(report_header(report), report_rows(report))


def report_xlsx(report: AnnualReport) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = str(report.year)
    sheet.append([neutralise(f"{report.unit.name} {report.year}")])
    sheet["A1"].font = Font(bold=True)
    sheet.append([neutralise(_("Counts under %(n)s are shown as “<%(n)s”.") % {"n": SUPPRESS_BELOW})])
    sheet.append(report_header(report))
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for table, category, now, before in report_rows(report):
        # Numbers as numbers, so the sheet can sum what it shows; hidden cells as text.
        sheet.append([neutralise(table), neutralise(category), *(int(v) if v.isdigit() else v for v in (now, before))])
    sheet.column_dimensions["A"].width = 48
    sheet.column_dimensions["B"].width = 40
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
