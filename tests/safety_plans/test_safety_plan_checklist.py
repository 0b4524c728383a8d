"""The checklist editor: editors word, add and retire checklist items; nobody else finds it."""

import pytest
from django.urls import reverse

from accounts.demo import CENTRE_A
from audit.models import AuditEvent
from safety_plans.models import ChecklistItem, PlanItem
from safety_plans.services import safety_plan_create

NEW_ITEM = {
    "code": "spare-phone",
    "order": "95",
    "title_nb": "Ekstra telefon",
    "title_en": "A spare phone",
    "help_nb": "Har personen en telefon utøver ikke kjenner til?",
    "help_en": "Does the person have a phone the perpetrator does not know about?",
    "active": "on",
}


def test_list_shows_every_item_in_order_with_its_plan_count(client_for, safety_plan_a):
    ChecklistItem.objects.filter(code="money").update(active=False)
    response = client_for("editor").get(reverse("safety_plans:checklist_item_list"))
    assert response.status_code == 200
    content = response.content.decode()
    items = list(ChecklistItem.objects.order_by("order", "code"))
    positions = [content.index(f"<code>{item.code}</code>") for item in items]
    assert positions == sorted(positions)
    assert "Plan for å komme seg i sikkerhet" in content and "Escape plan: how to get to safety" in content
    row = content[content.index("<code>money</code>") :]
    row = row[: row.index("</tr>")]
    assert "Tatt ut av bruk" in row
    counts = {item.code: item.plan_count for item in response.context["items"]}
    assert counts["escape-plan"] == 1  # PLAN_A has it
    assert "Punkter slettes aldri" in content


def test_editor_creates_an_item_and_it_is_audited_without_content(client_for, users):
    response = client_for("editor").post(reverse("safety_plans:checklist_item_new"), NEW_ITEM)
    assert response.status_code == 302
    assert response["Location"] == reverse("safety_plans:checklist_item_list")
    item = ChecklistItem.objects.get(code="spare-phone")
    assert (item.order, item.title_nb, item.title_en, item.active) == (95, "Ekstra telefon", "A spare phone", True)
    assert item.help_en.startswith("Does the person")
    event = AuditEvent.objects.get(action="safety_plan_checklist.created")
    assert (event.actor, event.target_id, event.unit) == (users["editor"], str(item.pk), None)


def test_editor_edits_an_item_but_not_its_code(client_for, users):
    url = reverse("safety_plans:checklist_item_edit", args=["escape-plan"])
    client = client_for("editor")
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="code"' not in page.content.decode()
    data = {**NEW_ITEM, "code": "something-else", "title_en": "Getting to safety", "order": "1"}
    response = client.post(url, data)
    assert response.status_code == 302
    item = ChecklistItem.objects.get(code="escape-plan")
    assert (item.title_en, item.order, item.title_nb) == ("Getting to safety", 1, "Ekstra telefon")
    assert not ChecklistItem.objects.filter(code="something-else").exists()
    event = AuditEvent.objects.get(action="safety_plan_checklist.changed")
    assert (event.actor, event.target_id) == (users["editor"], str(item.pk))


def test_retired_item_is_not_added_to_new_plans_but_stays_on_old_ones(client_for, users, units, safety_plan_a):
    old_plan = safety_plan_a
    assert old_plan.items.filter(item__code="money").exists()
    item = ChecklistItem.objects.get(code="money")
    data = {
        "order": item.order,
        "title_nb": item.title_nb,
        "title_en": item.title_en,
        "help_nb": item.help_nb,
        "help_en": item.help_en,
    }  # "active" left out: the box is unticked
    response = client_for("editor").post(reverse("safety_plans:checklist_item_edit", args=["money"]), data)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.active is False
    new_plan = safety_plan_create(user=users["counsellor"], unit=units[CENTRE_A], label="Ny plan")
    assert not new_plan.items.filter(item=item).exists()
    assert new_plan.items.filter(item__code="escape-plan").exists()
    assert PlanItem.objects.filter(plan=old_plan, item=item).exists()
    # The list still shows the retired item, marked in words (not only by colour).
    content = client_for("editor").get(reverse("safety_plans:checklist_item_list")).content.decode()
    assert "<code>money</code>" in content


def test_duplicate_code_is_refused_and_what_was_typed_stays(client_for):
    response = client_for("editor").post(
        reverse("safety_plans:checklist_item_new"), {**NEW_ITEM, "code": "Escape-Plan"}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "code" in form.errors
    assert "escape-plan" in form.errors["code"][0]
    content = response.content.decode()
    assert "A spare phone" in content and "Ekstra telefon" in content
    assert ChecklistItem.objects.filter(code="escape-plan").count() == 1
    assert not AuditEvent.objects.filter(action="safety_plan_checklist.created").exists()


def test_reserved_and_malformed_codes_are_refused(client_for):
    client = client_for("editor")
    for code in ["new", "reserve telefon"]:
        response = client.post(reverse("safety_plans:checklist_item_new"), {**NEW_ITEM, "code": code})
        assert response.status_code == 200
        assert "code" in response.context["form"].errors, code
    assert not ChecklistItem.objects.filter(title_en="A spare phone").exists()


@pytest.mark.parametrize("url_name", ["safety_plans:checklist_item_new", "safety_plans:checklist_item_edit"])
def test_missing_english_text_is_refused_with_a_field_error(client_for, url_name):
    kwargs = {"code": "escape-plan"} if url_name == "safety_plans:checklist_item_edit" else {}
    before = ChecklistItem.objects.get(code="escape-plan").title_en
    response = client_for("editor").post(reverse(url_name, kwargs=kwargs), {**NEW_ITEM, "title_en": "  "})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["title_en"] == ["Skriv punktets tekst på engelsk."]
    content = response.content.decode()
    assert "Har personen en telefon utøver ikke kjenner til?" in content  # what was typed stays
    assert "invalid-feedback" in content
    assert ChecklistItem.objects.get(code="escape-plan").title_en == before
    assert not ChecklistItem.objects.filter(code="spare-phone").exists()


@pytest.mark.parametrize("persona", ["staff", "counsellor", "manager", "printshop"])
def test_non_editors_get_404_and_change_nothing(client_for, persona):
    client = client_for(persona)
    assert client.get(reverse("safety_plans:checklist_item_list")).status_code == 404
    assert client.post(reverse("safety_plans:checklist_item_new"), NEW_ITEM).status_code == 404
    assert client.post(reverse("safety_plans:checklist_item_edit", args=["escape-plan"]), NEW_ITEM).status_code == 404
    assert not ChecklistItem.objects.filter(code="spare-phone").exists()
    assert ChecklistItem.objects.get(code="escape-plan").title_en == "Escape plan: how to get to safety"


def test_unknown_item_is_404_for_editors(client_for):
    assert (
        client_for("editor").get(reverse("safety_plans:checklist_item_edit", args=["no-such-item"])).status_code == 404
    )


def test_the_service_refuses_a_duplicate_code_and_missing_text_on_its_own(users):
    from django.core.exceptions import ValidationError

    from safety_plans.services import checklist_item_save

    with pytest.raises(ValidationError):
        checklist_item_save(item=None, user=users["editor"], data={**NEW_ITEM, "code": "police", "order": 1})
    with pytest.raises(ValidationError):
        checklist_item_save(item=None, user=users["editor"], data={**NEW_ITEM, "title_nb": " ", "order": 1})
    with pytest.raises(ValidationError):
        checklist_item_save(item=None, user=users["editor"], data={**NEW_ITEM, "code": "a/b", "order": 1})
    item = ChecklistItem.objects.get(code="police")
    with pytest.raises(ValidationError):
        checklist_item_save(item=item, user=users["editor"], data={"title_en": ""})
    assert not AuditEvent.objects.filter(action__startswith="safety_plan_checklist.").exists()
    saved = checklist_item_save(item=item, user=users["editor"], data={"order": 7, "active": False})
    assert (saved.order, saved.active, saved.title_en) == (7, False, "Knows how to reach the police (112)")


def test_a_new_item_is_offered_the_last_place(client_for):
    last = ChecklistItem.objects.order_by("-order").first().order
    response = client_for("editor").get(reverse("safety_plans:checklist_item_new"))
    assert response.context["form"]["order"].value() == last + 10
    response = client_for("editor").post(reverse("safety_plans:checklist_item_new"), {**NEW_ITEM, "order": ""})
    assert response.context["form"].errors["order"] == ["Gi punktet et tall for plassen i listen."]
