"""Issue 21, export and the personal-data warning: XLSX and an Excel-ready CSV (";" and a byte-order mark),
free text left out unless asked for, a column for an overridden warning; the warning names what it saw, sits
beside the field, and the manager sees that it was overridden."""

import csv
import io
import uuid
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.demo import CENTRE_B, UNIVERSITY
from audit.models import AuditEvent
from core.csv import EXCEL_BOM, rows_to_excel_csv
from incidents.models import Incident
from tests.incidents.test_incidents import report

NATIONAL_ID = "15076500565"  # passes the mod-11 checks
HEADER = [
    "Id",
    "Type",
    "Når det skjedde",
    "Meldt",
    "Svarfrist",
    "Enhet",
    "Status",
    "Lukket",
    "Forfalte tiltak",
    "Advarsel om personopplysninger overstyrt",
]


def new_form(units, **extra):
    data = {
        "type": "threat_in_person",
        "occurred_at": (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "unit": units[UNIVERSITY].pk,
        "place": "Reception",
        "what_happened": "A visitor shouted.",
        "immediate_actions": ["manager_notified"],
        "affected_students": "0",
        "affected_staff": "1",
        "affected_others": "0",
        "form_token": str(uuid.uuid4()),
    }
    data.update(extra)
    return data


def test_excel_csv_has_a_bom_semicolons_and_neutralised_cells():
    text = rows_to_excel_csv(["Sted", "Tall"], [["Blåbærøya; rom 2", "=1+1"]])
    assert text.startswith(EXCEL_BOM)
    assert text.encode("utf-8").startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(text.removeprefix(EXCEL_BOM)), delimiter=";"))
    assert rows == [["Sted", "Tall"], ["Blåbærøya; rom 2", "'=1+1"]]


def test_csv_export_leaves_free_text_out_by_default_and_marks_overridden_warnings(client_for, users, units):
    kept = report(users, units, place="Blåbærstua", what_happened=f"The student {NATIONAL_ID} was upset.")
    Incident.objects.filter(pk=kept.pk).update(pii_overridden=True)
    report(users, units, unit=CENTRE_B, reporter="counsellor_other")
    client = client_for("manager")
    response = client.get(reverse("incidents:export"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    text = response.content.decode("utf-8-sig")
    assert NATIONAL_ID not in text and "Blåbærstua" not in text
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == HEADER
    assert len(rows) == 2 and rows[1][0] == str(kept.pk) and rows[1][-1] == "ja"
    with_text = client.get(reverse("incidents:export") + "?free_text=on").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(with_text), delimiter=";"))
    assert rows[0] == HEADER + ["Sted", "Hva som skjedde"]
    assert rows[1][-2:] == ["Blåbærstua", f"The student {NATIONAL_ID} was upset."]


def test_xlsx_export_opens_with_the_right_columns_and_no_formulas(client_for, users, units):
    first = report(users, units, place='=HYPERLINK("http://x")')
    second = report(users, units)
    response = client_for("manager").get(reverse("incidents:export_xlsx") + "?free_text=on")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == HEADER + ["Sted", "Hva som skjedde"]
    assert {rows[1][0], rows[2][0]} == {str(first.pk), str(second.pk)}
    places = {row[0]: row[-2] for row in rows[1:]}
    assert places[str(first.pk)] == '\'=HYPERLINK("http://x")'
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    without = load_workbook(io.BytesIO(client_for("manager").get(reverse("incidents:export_xlsx")).content)).active
    assert [c.value for c in next(without.iter_rows())] == HEADER
    assert AuditEvent.objects.filter(action="incident.exported").count() == 2


def test_list_offers_both_formats_with_its_filters_and_free_text_unticked(client_for, incident_records):
    html = client_for("manager").get(reverse("incidents:list") + "?state=reported&page=1").content.decode()
    assert 'name="free_text" value="on"' in html and "checked" not in html.split('name="free_text"')[1][:40]
    assert '<input type="hidden" name="state" value="reported">' in html
    assert 'name="page"' not in html.split('action="/incidents/export.csv"')[1].split("</form>")[0]
    assert reverse("incidents:export_xlsx") in html


def test_warning_names_what_it_saw_beside_the_field_and_save_anyway_marks_the_report(client_for, units):
    client = client_for("staff")
    data = new_form(units, what_happened=f"The student {NATIONAL_ID} was upset. Call 912 34 567.")
    response = client.post(reverse("incidents:new"), data)
    assert response.status_code == 200 and not Incident.objects.exists()
    form = response.context["form"]
    assert list(form.errors) == ["what_happened"]
    message = form.errors["what_happened"][0]
    assert "et fødselsnummer og et telefonnummer" in message
    html = response.content.decode()
    # The box comes right after the field that holds the text, before the rest of the form.
    field = html.index('name="what_happened"')
    box = html.index('type="checkbox" name="save_anyway"')
    assert field < box < html.index('name="immediate_actions"')
    assert NATIONAL_ID in html  # nothing typed is lost
    response = client.post(reverse("incidents:new"), {**data, "save_anyway": "on"})
    assert response.status_code == 302
    incident = Incident.objects.get()
    assert incident.pii_overridden
    page = client_for("manager").get(reverse("incidents:detail", args=[incident.pk])).content.decode()
    assert "Advarsel om personopplysninger overstyrt" in page


def test_a_phone_number_in_the_place_is_named_at_the_place(client_for, units):
    response = client_for("staff").post(reverse("incidents:new"), new_form(units, place="Ring 22 33 44 55"))
    form = response.context["form"]
    assert list(form.errors) == ["place"] and "et telefonnummer" in form.errors["place"][0]
    assert "fødselsnummer" not in form.errors["place"][0]


def test_clean_text_is_not_marked(client_for, units):
    assert client_for("staff").post(reverse("incidents:new"), new_form(units)).status_code == 302
    assert not Incident.objects.get().pii_overridden
