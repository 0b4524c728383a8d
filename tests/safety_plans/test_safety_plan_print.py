"""The discreet printout of a safety plan: the person's choices, the preview, the PDF and who may make them."""

import re
import subprocess

import pikepdf
import pytest
from django.conf import settings
from django.urls import reverse

from audit.models import AuditEvent
from core.phone import dial_format
from safety_plans.models import PlanContact, PlanItem

NOTE = "Hos søsteren; reservenøkkel i postkassen."


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("22123456", "22 12 34 56"),
        ("22 12 34 56", "22 12 34 56"),
        ("80012345", "800 12 345"),
        ("91234567", "912 34 567"),
        ("116117", "116 117"),
        ("116 117", "116 117"),
        ("112", "112"),
        ("+47 22123456", "+47 22 12 34 56"),
        ("+4791234567", "+47 912 34 567"),
        ("+46 8 123 456 78", "+46 8 123 456 78"),  # foreign: as typed
        ("1234567", "1234567"),  # no known pattern: as typed
        ("ring etter kl. 16", "ring etter kl. 16"),
    ],
)
def test_numbers_are_grouped_for_quick_dialling(typed, shown):
    assert dial_format(typed) == shown


@pytest.fixture
def counsellor(client_for):
    return client_for("counsellor")


@pytest.fixture
def plan(safety_plan_a):
    """PLAN_A with two items in place / needing help, one not relevant, a note, and two more numbers."""
    items = {i.item.code: i for i in safety_plan_a.items.select_related("item")}
    PlanItem.objects.filter(pk=items["escape-plan"].pk).update(status=PlanItem.Status.IN_PLACE, note=NOTE)
    PlanItem.objects.filter(pk=items["code-word"].pk).update(status=PlanItem.Status.NEEDS_HELP)
    PlanItem.objects.filter(pk=items["money"].pk).update(status=PlanItem.Status.NOT_RELEVANT)
    PlanContact.objects.create(plan=safety_plan_a, label="Søster", number="91234567", order=10)
    PlanContact.objects.create(plan=safety_plan_a, label="Legekontor", number="+47 22123456", order=11)
    return safety_plan_a


def url(plan):
    return reverse("safety_plans:print", args=[plan.pk])


def item(plan, code):
    return plan.items.get(item__code=code)


def contact(plan, label):
    return plan.contacts.get(label=label)


def choices(plan, **overrides):
    data = {
        "title": "Huskeliste",
        "size": "a6",
        "items": [item(plan, "escape-plan").pk, item(plan, "money").pk],
        "contacts": [contact(plan, "Søster").pk, contact(plan, "Legekontor").pk],
        "action": "download",
    }
    return {**data, **overrides}


def pdf_of(response, tmp_path, name="card.pdf"):
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / name
    path.write_bytes(b"".join(response.streaming_content))
    return path


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def page_size(path) -> tuple[float, float]:
    with pikepdf.open(path) as pdf:
        box = [float(v) for v in pdf.pages[0].mediabox]
        return round(box[2] - box[0], 1), round(box[3] - box[1], 1)


def checked(html: str, name: str) -> set[str]:
    """The values of the ticked boxes (or chosen radio) named ``name`` in a rendered form."""
    tags = re.findall(rf'<input[^>]*name="{name}"[^>]*>', html)
    values = {tag: re.search(r'value="([^"]*)"', tag) for tag in tags}
    return {(v.group(1) if v else "on") for tag, v in values.items() if re.search(r"\schecked\b", tag)}


def preview(html: str) -> str:
    """The card inside the page's preview section, and nothing of the form around it."""
    match = re.search(r'<div class="pocket-card pocket-card--a[46]">(.*?)</div>\s*</div>\s*</section>', html, re.S)
    assert match, "no preview on the page"
    return match.group(1)


def test_the_form_starts_neutral_with_nothing_ticked(counsellor, plan):
    """Nothing is chosen in advance: not the items in place or needing help, not the numbers (once all ticked,
    so "Download" at once printed the centre's number)."""
    response = counsellor.get(url(plan))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'method="post"' in html
    assert re.search(r'<input[^>]*name="title"[^>]*value="Huskeliste"', html)
    assert checked(html, "size") == {"a6"}
    assert len(re.findall(r'<input[^>]*name="items"', html)) == plan.items.count() == 10
    assert len(re.findall(r'<input[^>]*name="contacts"', html)) == plan.contacts.count() == 5
    assert checked(html, "items") == set() and checked(html, "contacts") == set()
    assert checked(html, "include_notes") == set() and checked(html, "show_centre") == set()
    # Every item has an empty field for the person's own title, kept out of the browser's form history.
    titles = re.findall(r'<input[^>]*name="item_title_\d+"[^>]*>', html)
    assert len(titles) == 10 and all('autocomplete="off"' in tag and 'value="' not in tag for tag in titles)
    assert all('data-maxlength="60"' in tag and "maxlength=" not in tag.replace("data-maxlength", "") for tag in titles)
    assert "912 34 567" in html  # numbers in the form are shown as they will print
    assert "Diskret utskrift" in html  # bokmål page
    assert "pocket-card__title" not in html  # no preview before one is asked for
    assert response["Cache-Control"].count("no-store") == 1


def test_the_a6_pdf_has_exactly_the_chosen_items_and_numbers_and_nothing_identifying(counsellor, plan, tmp_path):
    response = counsellor.post(url(plan), choices(plan))
    assert response["Content-Disposition"] == 'attachment; filename="list-a6.pdf"'
    assert "no-store" in response["Cache-Control"]
    path = pdf_of(response, tmp_path)
    text = pdf_text(path)
    assert "Huskeliste" in text
    assert "Plan for å komme seg i sikkerhet" in text and "Penger lagt til side" in text
    assert "912 34 567" in text and "+47 22 12 34 56" in text and "Søster" in text and "Legekontor" in text
    # Not chosen: the other items, the standard numbers, the note (notes were not asked for).
    for absent in ["Kodeord", "Vet hvordan politiet", "Bag klar", "113", "116 117", "Ambulan", NOTE[:10]]:
        assert absent not in text, absent
    # Nothing that says whose plan, whose centre, or what it is.
    identifying = ["demo-plan a", "nordby", "kari", "rådgiver", "krisestøtte", "krisestotte", "crisis"]
    identifying.append("sikkerhetsplan")
    for absent in identifying:
        assert absent not in text.lower(), absent
    assert page_size(path) == (297.6, 419.5)  # A6
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    font_rows = fonts.splitlines()[2:]
    assert font_rows and all("Krise-Sans" in row and " yes yes " in row for row in font_rows), fonts
    with pikepdf.open(path) as pdf:
        assert str(pdf.docinfo["/Title"]) == "Huskeliste"
        assert set(pdf.docinfo.keys()) <= {"/Title", "/Producer", "/CreationDate", "/ModDate"}
        xmp = str(pdf.open_metadata())
        assert "Demo-plan" not in xmp and "Nordby" not in xmp and "Kari" not in xmp
        links = [
            str(annot.A.URI)
            for page in pdf.pages
            for annot in page.get("/Annots", [])
            if "/A" in annot and "/URI" in annot.A
        ]
    assert sorted(links) == ["tel:+4722123456", "tel:+4791234567"]


def test_a4_with_the_centre_chosen_shows_the_centre(counsellor, plan, tmp_path):
    response = counsellor.post(url(plan), choices(plan, size="a4", show_centre="on"))
    assert response["Content-Disposition"] == 'attachment; filename="list-a4.pdf"'
    path = pdf_of(response, tmp_path)
    assert "Nordby krisesenter" in pdf_text(path)
    assert page_size(path) == (595.3, 841.9)  # A4


def test_notes_are_printed_only_when_asked_for(counsellor, plan, tmp_path):
    text = pdf_text(pdf_of(counsellor.post(url(plan), choices(plan, include_notes="on")), tmp_path))
    assert "Hos søsteren; reservenøkkel i postkassen." in text
    html = counsellor.post(url(plan), choices(plan, include_notes="on", action="preview")).content.decode()
    assert NOTE in preview(html)


def test_the_preview_shows_the_same_card_as_the_pdf(counsellor, plan, tmp_path):
    response = counsellor.post(url(plan), choices(plan, action="preview"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert "no-store" in response["Cache-Control"]
    card = preview(response.content.decode())
    assert re.findall(r"<li>([^<]*)</li>", card) == ["Plan for å komme seg i sikkerhet", "Penger lagt til side"]
    assert re.findall(r'class="pocket-card__number" href="([^"]+)">([^<]+)<', card) == [
        ("tel:+4791234567", "912 34 567"),
        ("tel:+4722123456", "+47 22 12 34 56"),
    ]
    assert "Huskeliste" in card and "Nordby" not in card and "Demo-plan A" not in card
    text = pdf_text(pdf_of(counsellor.post(url(plan), choices(plan)), tmp_path))
    for shown in ["Plan for å komme seg i sikkerhet", "Penger lagt til side", "912 34 567", "+47 22 12 34 56"]:
        assert shown in text
    events = list(AuditEvent.objects.filter(target_id=str(plan.pk)).values_list("action", flat=True))
    assert events.count("safety_plan.print_previewed") == 1 and events.count("safety_plan.printed") == 1


def test_an_empty_choice_is_refused_and_every_choice_is_kept(counsellor, plan):
    data = choices(plan, title="Mitt kort", size="a4", items=[], contacts=[], include_notes="on", show_centre="on")
    response = counsellor.post(url(plan), data)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "Velg minst ett punkt eller telefonnummer til utskriften." in html
    assert re.search(r'<input[^>]*name="title"[^>]*value="Mitt kort"', html)
    assert checked(html, "size") == {"a4"}
    assert checked(html, "include_notes") == {"on"} and checked(html, "show_centre") == {"on"}
    assert checked(html, "items") == set() and checked(html, "contacts") == set()
    assert "pocket-card__title" not in html  # no preview of an invalid choice
    assert not AuditEvent.objects.filter(action__startswith="safety_plan.print").exists()


def test_an_empty_title_is_refused_with_the_choices_kept(counsellor, plan):
    data = choices(plan, title="   ", contacts=[contact(plan, "Søster").pk])
    response = counsellor.post(url(plan), data)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "Gi utskriften en tittel, for eksempel «Huskeliste»." in html
    assert re.search(r'aria-describedby="[^"]*error_1_id_title', html) or "error_1_id_title" in html
    assert checked(html, "items") == {str(item(plan, "escape-plan").pk), str(item(plan, "money").pk)}
    assert checked(html, "contacts") == {str(contact(plan, "Søster").pk)}


@pytest.mark.parametrize("field", ["items", "contacts"])
@pytest.mark.parametrize("value", ["99999999999999999999999", "-1", "0"])
def test_an_id_that_is_not_one_of_the_plans_rows_is_a_field_error(counsellor, plan, field, value):
    # Found by the form fuzzer: an out-of-range number once went on to the database and gave a server error.
    data = choices(plan)
    data[field] = [value]
    response = counsellor.post(url(plan), data)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert f"error_1_id_{field}" in response.content.decode()


def test_a_long_title_is_refused(counsellor, plan):
    response = counsellor.post(url(plan), choices(plan, title="x" * 61))
    assert response.status_code == 200
    assert "Tittelen kan ha høyst 60 tegn (den har 61)." in response.content.decode()


def test_choices_in_the_address_are_ignored(counsellor, plan):
    """The choices travel in the POST body only: a GET with them in the query string is just the form."""
    response = counsellor.get(url(plan) + "?title=Hemmelig&action=download&contacts=1")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert re.search(r'<input[^>]*name="title"[^>]*value="Huskeliste"', html) and "pocket-card__title" not in html
    assert not AuditEvent.objects.filter(action__startswith="safety_plan.print").exists()


@pytest.mark.parametrize("persona", ["counsellor_other", "counsellor2", "staff", "editor", "admin", "manager_other"])
def test_outsiders_get_not_found(client_for, plan, persona):
    client = client_for(persona)
    assert client.get(url(plan)).status_code == 404
    assert client.post(url(plan), choices(plan)).status_code == 404


def test_the_anonymous_are_sent_to_log_in(client_for, plan):
    response = client_for("anonymous").post(url(plan), choices(plan))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert "Huskeliste" not in response["Location"]


def test_the_manager_reads_the_plan_but_does_not_print_it(client_for, plan):
    manager = client_for("manager")
    assert manager.get(url(plan)).status_code == 403
    response = manager.post(url(plan), choices(plan))
    assert response.status_code == 403 and response["Content-Type"].startswith("text/html")
    assert not AuditEvent.objects.filter(action="safety_plan.printed").exists()


def test_a_colleague_it_is_shared_with_may_print(client_for, plan, users, tmp_path):
    from safety_plans.services import safety_plan_share

    safety_plan_share(plan=plan, by=users["counsellor"], with_user=users["counsellor2"])
    colleague = client_for("counsellor2")
    assert "Penger lagt til side" in pdf_text(pdf_of(colleague.post(url(plan), choices(plan)), tmp_path))
    event = AuditEvent.objects.get(action="safety_plan.printed")
    assert event.actor == users["counsellor2"]


def test_printing_is_audit_logged_without_content(counsellor, plan, users, tmp_path):
    pdf_of(counsellor.post(url(plan), choices(plan, title="Mine ting")), tmp_path)
    event = AuditEvent.objects.get(action="safety_plan.printed")
    assert event.actor == users["counsellor"] and event.target_id == str(plan.pk) and event.unit == plan.unit
    stored = " ".join(str(getattr(event, f.attname)) for f in AuditEvent._meta.concrete_fields)
    for content in ["Mine ting", "Søster", "91234567", "Penger", "Demo-plan"]:
        assert content not in stored


def test_a_script_in_the_title_stays_text(counsellor, plan, tmp_path):
    title = "<script>alert(1)</script>"
    html = counsellor.post(url(plan), choices(plan, title=title, action="preview")).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in preview(html)
    path = pdf_of(counsellor.post(url(plan), choices(plan, title=title)), tmp_path)
    assert title in pdf_text(path)
    with pikepdf.open(path) as pdf:
        assert str(pdf.docinfo["/Title"]) == title


def test_an_image_in_a_note_is_not_fetched(counsellor, plan, tmp_path, fetched_urls):
    """A note is text: markup in it is printed as typed, and the shared fetcher (core.pdf) refuses anything
    but our own static files, so the server never calls out."""
    import core.pdf

    note = '<img src="http://127.0.0.1:1/x"> og file:///etc/passwd'
    PlanItem.objects.filter(pk=item(plan, "money").pk).update(note=note)
    text = pdf_text(pdf_of(counsellor.post(url(plan), choices(plan, include_notes="on")), tmp_path))
    assert '<img src="http://127.0.0.1:1/x">' in text
    assert fetched_urls and all(u.startswith("file:") and "/static/fonts/" in u for u in fetched_urls), fetched_urls
    with pytest.raises(ValueError):
        core.pdf.safe_url_fetcher().fetch("http://127.0.0.1:1/x")


def test_in_english_the_default_title_and_the_items_are_english(counsellor, plan, tmp_path):
    counsellor.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = counsellor.get(url(plan)).content.decode()
    assert re.search(r'<input[^>]*name="title"[^>]*value="Reminders"', html)
    assert "Escape plan: how to get to safety" in html and "Discreet printout" in html
    path = pdf_of(counsellor.post(url(plan), choices(plan, title="Reminders")), tmp_path)
    text = pdf_text(path)
    assert "Reminders" in text and "Escape plan: how to get to safety" in text and "Money put aside" in text
    assert "Penger lagt til side" not in text
    with pikepdf.open(path) as pdf:
        assert str(pdf.Root.Lang) == "en"


# --- The person's own words for an item ------------------------------------------------------------------------


def own_title(plan, code) -> str:
    return f"item_title_{item(plan, code).pk}"


def test_a_reworded_item_prints_in_the_persons_words_in_the_preview_and_the_pdf(counsellor, plan, tmp_path):
    data = choices(plan, items=[item(plan, "go-bag").pk], contacts=[], **{own_title(plan, "go-bag"): "  Sko  "})
    card = preview(counsellor.post(url(plan), {**data, "action": "preview"}).content.decode())
    assert re.findall(r"<li>([^<]*)</li>", card) == ["Sko"]
    assert "Bag klar" not in card
    text = pdf_text(pdf_of(counsellor.post(url(plan), data), tmp_path))
    assert "Sko" in text
    for absent in ["Bag klar", "dokumenter", "Nordby", "krisesenter", "22 12 34 56", "112", "Søster"]:
        assert absent not in text, absent


def test_the_persons_words_are_kept_for_the_next_printout_and_logged_without_content(counsellor, plan):
    data = choices(
        plan, action="preview", **{own_title(plan, "escape-plan"): "Turen", own_title(plan, "go-bag"): "Sko"}
    )
    counsellor.post(url(plan), data)
    assert item(plan, "escape-plan").card_title == "Turen" and item(plan, "go-bag").card_title == "Sko"
    assert item(plan, "money").card_title == ""
    html = counsellor.get(url(plan)).content.decode()
    assert re.search(rf'<input[^>]*name="{own_title(plan, "escape-plan")}"[^>]*value="Turen"', html)
    assert checked(html, "items") == set()  # the words are kept, the ticks are not
    events = AuditEvent.objects.filter(action="safety_plan.printout_titles_changed")
    assert events.count() == 1 and events.get().target_id == str(plan.pk)
    stored = " ".join(str(getattr(events.get(), f.attname)) for f in AuditEvent._meta.concrete_fields)
    assert "Turen" not in stored and "Sko" not in stored
    # The same words again change nothing and log nothing; an emptied field goes back to the checklist's words.
    counsellor.post(url(plan), data)
    assert events.count() == 1
    counsellor.post(url(plan), {**data, own_title(plan, "escape-plan"): ""})
    assert item(plan, "escape-plan").card_title == "" and events.count() == 2


def test_the_persons_words_are_not_shown_on_the_plan_or_in_the_list(counsellor, plan):
    PlanItem.objects.filter(pk=item(plan, "go-bag").pk).update(card_title="Skoeske-XYZ")
    pages = [reverse("safety_plans:list")] + [reverse(f"safety_plans:{n}", args=[plan.pk]) for n in ["detail", "edit"]]
    for page in pages:
        response = counsellor.get(page)
        assert response.status_code == 200 and "Skoeske-XYZ" not in response.content.decode(), page


def test_a_long_item_title_is_refused_with_everything_kept(counsellor, plan):
    long_title = "y" * 61
    data = choices(plan, action="preview", **{own_title(plan, "go-bag"): long_title, own_title(plan, "money"): "Ok"})
    response = counsellor.post(url(plan), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tittelen på kortet kan ha høyst 60 tegn (den har 61)." in html
    assert f"error_1_id_{own_title(plan, 'go-bag')}" in html and 'aria-invalid="true"' in html
    assert re.search(rf'<input[^>]*name="{own_title(plan, "go-bag")}"[^>]*value="{long_title}"', html)
    assert checked(html, "items") == {str(item(plan, "escape-plan").pk), str(item(plan, "money").pk)}
    assert "pocket-card__title" not in html  # no preview, nothing stored
    assert not PlanItem.objects.filter(plan=plan).exclude(card_title="").exists()


def test_a_title_for_an_item_of_another_plan_is_ignored(counsellor, plan, users):
    from safety_plans.services import safety_plan_create

    other = safety_plan_create(user=users["counsellor"], unit=plan.unit, label="Annen")
    other_item = other.items.first()
    counsellor.post(url(plan), choices(plan, action="preview", **{f"item_title_{other_item.pk}": "Inntrenger"}))
    other_item.refresh_from_db()
    assert other_item.card_title == ""


def test_a_script_in_an_item_title_stays_text(counsellor, plan, tmp_path):
    title = "<b>x</b>"
    data = choices(plan, items=[item(plan, "money").pk], **{own_title(plan, "money"): title})
    card = preview(counsellor.post(url(plan), {**data, "action": "preview"}).content.decode())
    assert "&lt;b&gt;x&lt;/b&gt;" in card and "<b>" not in card
    assert title in pdf_text(pdf_of(counsellor.post(url(plan), data), tmp_path))


def test_with_nothing_chosen_nothing_prints_even_with_the_centre_and_notes_asked_for(counsellor, plan):
    data = choices(plan, items=[], contacts=[], show_centre="on", include_notes="on")
    data[own_title(plan, "go-bag")] = "Sko"
    response = counsellor.post(url(plan), data)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "Ingenting er valgt ennå, så det er ingenting å skrive ut." in html and 'role="alert"' in html
    assert not AuditEvent.objects.filter(action="safety_plan.printed").exists()
    assert item(plan, "go-bag").card_title == ""  # an invalid choice stores nothing; the page keeps it
    assert re.search(rf'<input[^>]*name="{own_title(plan, "go-bag")}"[^>]*value="Sko"', html)
