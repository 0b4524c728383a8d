"""The incident list's rows are made in the view (incidents.views.lists._row_html) for speed: the markup must be
what the template loop made before, value for value and escape for escape."""

import re
from datetime import timedelta
from itertools import product

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import timezone, translation

from incidents.models import IncidentAction
from incidents.views.lists import _row_html
from tests.incidents.test_incidents import report

# The row as incidents/list.html had it before the markup moved into the view.
TEMPLATE_ROW = """{% load i18n %}<tr>
  <td><a href="{{ row.url }}">{{ row.ref }}</a></td>
  <td>{{ row.type }}</td>
  <td>{{ row.when }}</td>
  <td>{{ row.unit }}</td>
  <td>{{ row.state }}</td>
  <td>{% include "incidents/_risk.html" with level=row.risk css=row.risk_css confirmed=row.risk_confirmed %}</td>
  <td>{{ row.manager|default:"-" }}</td>
  <td>{% if row.overdue %}<span class="badge text-bg-danger">{% translate "Overdue" %}</span>{% endif %}{% if row.pii_overridden %} <span class="badge text-bg-warning">{% translate "Personal data warning overridden" %}</span>{% endif %}</td>
</tr>"""

NASTY = "<script>alert(\"x\")</script> & 'quotes'"


def _squeeze(html: str) -> str:
    """Without the white space between tags and at the start of a cell (the risk include began with a line
    break), which a browser does not show."""
    return re.sub(r"<td>\s+", "<td>", re.sub(r">\s+<", "><", html.strip()))


@pytest.mark.parametrize("language", ["nb", "en"])
@pytest.mark.parametrize(
    ("risk", "confirmed", "overdue", "pii", "manager"),
    list(product(["", "Høy risiko"], *[[False, True]] * 3, ["", NASTY])),
)
def test_a_row_is_the_markup_the_template_made(language, risk, confirmed, overdue, pii, manager):
    row = {
        "url": "/incidents/0b7c/?a=1&b=2",
        "ref": "0b7c1d2e",
        "type": NASTY,
        "when": "03.12.2026 14:05",
        "unit": "Sørvik <krisesenter>",
        "state": "Meldt",
        "risk": risk,
        "risk_css": "text-bg-danger" if risk else "",
        "risk_confirmed": confirmed,
        "manager": manager,
        "overdue": overdue,
        "pii_overridden": pii,
    }
    with translation.override(language):
        words = {
            "suggested": translation.gettext("(suggested)"),
            "overdue": translation.gettext("Overdue"),
            "pii_overridden": translation.gettext("Personal data warning overridden"),
        }
        expected = engines["django"].from_string(TEMPLATE_ROW).render({"row": row})
        assert _squeeze(_row_html(row, words)) == _squeeze(expected)


def test_the_page_shows_each_report_once_with_its_flags(client_for, users, units):
    late = report(users, units)
    IncidentAction.objects.create(
        incident=late,
        description="Check the alarm.",
        responsible=users["manager"],
        deadline=timezone.localdate() - timedelta(days=1),
    )
    page = client_for("manager").get(reverse("incidents:list")).content.decode()
    assert page.count(f'<a href="{reverse("incidents:detail", args=[late.pk])}">{late.short_id}</a>') == 1
    assert page.count('<span class="badge text-bg-danger">Forfalt</span>') == 1
