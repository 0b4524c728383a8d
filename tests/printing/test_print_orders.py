"""Print orders: ordering a print run, the print shop's queue, status changes with notes, e-mails, re-issuing
after a newer version, and the print PDF of the pinned version."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.demo import UNIVERSITY
from audit.models import AuditEvent
from printing.demo import ACCEPTED_ORDER, DELIVERED_ORDER, NEW_ORDER
from printing.models import PrintOrder, PrintOrderEvent
from routines.models import RoutinePdf
from routines.selectors import get_published_routine
from routines.services import routine_draft_start, routine_version_publish_demo


def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _order_data(units, **overrides):
    data = {
        "routine": "vold-og-trusler",
        "lang": "en",
        "quantity": "120",
        "delivery_unit": str(units[UNIVERSITY].pk),
        "delivery_address": "Building B, room 101",
        "paper": "silk_170",
        "proof": "pdf",
        "contact_name": "Eva Redaktør",
        "contact_phone": "73 59 32 80",
        "billing_reference": "KS-4410",
        "wanted_by": (timezone.localdate() + timedelta(days=10)).isoformat(),
    }
    return {**data, **overrides}


def test_editor_orders_a_print_run_pinned_to_the_current_version(
    client_for, routines, units, users, django_capture_on_commit_callbacks
):
    client = client_for("editor")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("printing:new"), _order_data(units))
    order = PrintOrder.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("printing:detail", args=[order.pk])
    assert order.version == get_published_routine("vold-og-trusler")
    assert (order.quantity, order.lang, order.status, order.ordered_by) == (120, "en", "new", users["editor"])
    assert AuditEvent.objects.filter(action="print_order.created", target_id=str(order.pk)).exists()
    # The print shop is told, with a link and nothing else: no address, no routine, no names.
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["printshop@example.org"]
    body = mail.outbox[0].subject + mail.outbox[0].body
    assert str(order.pk) in body
    assert "Building B" not in body and "Eva" not in body and "editor" not in body


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"wanted_by": "2001-01-01"}, "The date has passed"),
        ({"quantity": "0"}, "greater than or equal to 1"),
        ({"quantity": "5001"}, "less than or equal to 5000"),
        ({"delivery_address": ""}, "This field is required"),
        ({"contact_phone": "ring meg"}, "Write the phone number with digits"),
        ({"billing_reference": ""}, "This field is required"),
        ({"paper": "newsprint"}, "Select a valid choice"),
        ({"routine": "no-such-routine"}, "Select a valid choice"),
    ],
)
def test_bad_order_input_says_what_to_fix_and_keeps_what_was_typed(client_for, routines, units, overrides, message):
    client = _english(client_for("editor"))
    data = _order_data(units, **overrides)
    response = client.post(reverse("printing:new"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "Building B, room 101" in html or overrides.get("delivery_address") == ""
    assert f'value="{data["quantity"]}"' in html
    assert not PrintOrder.objects.exists()


def test_delivery_unit_must_be_one_of_the_orderers_units(client_for, routines, units):
    response = client_for("manager_other").post(reverse("printing:new"), _order_data(units))
    assert response.status_code == 200
    assert not PrintOrder.objects.exists()


def test_print_shop_moves_an_order_step_by_step_with_notes(
    client_for, print_orders, users, django_capture_on_commit_callbacks
):
    client = _english(client_for("printshop"))
    url = reverse("printing:advance", args=[NEW_ORDER])
    for note, status in [("Will print Monday", "accepted"), ("", "printed"), ("Left at reception", "delivered")]:
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(url, {"note": note}).status_code == 302
        order = PrintOrder.objects.get(pk=NEW_ORDER)
        assert order.status == status
        event = order.events.last()
        assert (event.status, event.note, event.by) == (status, note, users["printshop"])
    # The orderer got one e-mail per change, without the note or the address.
    assert [m.to for m in mail.outbox] == [["editor@example.org"]] * 3
    assert all("reception" not in m.body and "Monday" not in m.body for m in mail.outbox)
    # Delivered is the last step.
    client.post(url, {"note": "again"})
    assert PrintOrder.objects.get(pk=NEW_ORDER).status == "delivered"
    assert AuditEvent.objects.filter(action="print_order.status_changed", target_id=str(NEW_ORDER)).count() == 3
    page = client.get(reverse("printing:detail", args=[NEW_ORDER])).content.decode()
    assert "Will print Monday" in page and "Left at reception" in page


def test_orderer_cannot_change_the_status(client_for, print_orders):
    assert client_for("editor").post(reverse("printing:advance", args=[NEW_ORDER])).status_code == 404
    assert PrintOrder.objects.get(pk=NEW_ORDER).status == "new"


def test_queue_and_own_orders(client_for, print_orders):
    queue = client_for("printshop").get(reverse("printing:list")).content.decode()
    for pk in (NEW_ORDER, ACCEPTED_ORDER, DELIVERED_ORDER):
        assert reverse("printing:detail", args=[pk]) in queue
    own = client_for("manager").get(reverse("printing:list")).content.decode()
    assert reverse("printing:detail", args=[ACCEPTED_ORDER]) in own
    assert reverse("printing:detail", args=[NEW_ORDER]) not in own


def test_newer_version_is_flagged_and_the_orderer_reissues_it(client_for, print_orders, users):
    routine = get_published_routine("vold-og-trusler").routine
    draft = routine_draft_start(routine=routine, user=users["editor"])
    routine_version_publish_demo(version=draft, user=users["editor"])
    client = _english(client_for("editor"))
    listing = client.get(reverse("printing:list")).content.decode()
    assert "A newer version exists" in listing
    detail = client.get(reverse("printing:detail", args=[NEW_ORDER])).content.decode()
    assert "Re-issue the order for version 2" in detail
    response = client.post(reverse("printing:reissue", args=[NEW_ORDER]))
    old = PrintOrder.objects.get(pk=NEW_ORDER)
    new = PrintOrder.objects.get(pk=old.superseded_by_id)
    assert response["Location"] == reverse("printing:detail", args=[new.pk])
    assert old.status == "superseded" and new.status == "new"
    assert new.version == draft and new.quantity == old.quantity and new.delivery_unit == old.delivery_unit
    assert PrintOrderEvent.objects.filter(order=old, status="superseded", by=users["editor"]).exists()
    # The print shop cannot re-issue someone else's order.
    assert client_for("printshop").post(reverse("printing:reissue", args=[new.pk])).status_code == 404


def test_print_pdf_is_the_pinned_version_and_the_download_is_logged(client_for, print_orders, users):
    routine = get_published_routine("selvmordsfare-og-alvorlig-sykdom").routine
    draft = routine_draft_start(routine=routine, user=users["editor"])
    routine_version_publish_demo(version=draft, user=users["editor"])
    response = client_for("printshop").get(reverse("printing:pdf", args=[ACCEPTED_ORDER]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="routine-selvmordsfare-og-alvorlig-sykdom-v1-nb-folder.pdf"'
    )
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    event = AuditEvent.objects.get(action="print_order.pdf_downloaded")
    assert (event.actor, event.target_id) == (users["printshop"], str(ACCEPTED_ORDER))


def test_print_shop_home_shows_the_queue_and_nothing_private(client_for, print_orders):
    html = client_for("printshop").get(reverse("home")).content.decode()
    assert reverse("printing:list") in html
    assert reverse("routines:editor_list") not in html and reverse("routines:overdue") not in html


def test_seed_print_orders_twice_is_harmless(print_orders, demo):
    from printing.demo import seed_print_orders

    seed_print_orders(units=demo["units"], users=demo["users"])
    assert PrintOrder.objects.count() == 3
    assert set(PrintOrder.objects.values_list("status", flat=True)) == {"new", "accepted", "delivered"}


@pytest.mark.parametrize(
    ("slug", "stitched"), [("vold-og-trusler", False), ("avvergingsplikten-fasilitatorveileder", True)]
)
def test_the_print_shop_sees_a_specification_it_can_work_from(
    client_for, routines, units, settings, tmp_path, slug, stitched
):
    """Paper, proof, contact, billing, the fold or stitching for the folder's real page count, and the QR
    target: nothing the print shop would have to phone about."""
    from routines.pdf import routine_url

    settings.MEDIA_ROOT = tmp_path
    response = _english(client_for("editor")).post(reverse("printing:new"), _order_data(units, routine=slug))
    order = PrintOrder.objects.get(pk=response["Location"].rstrip("/").rsplit("/", 1)[1])
    html = _english(client_for("printshop")).get(reverse("printing:detail", args=[order.pk])).content.decode()
    pages = RoutinePdf.objects.get(version=order.version, variant="folder", lang=order.lang).pages
    assert (pages >= 8) == stitched
    fold = f"Saddle stitched: {pages // 4} A4 sheets" if stitched else "Folded once: one A4 sheet"
    for words in [
        "170 g/m² silk-coated",
        "A PDF proof by e-mail",
        "Eva Redaktør",
        'href="tel:73593280"',
        "KS-4410",
        "A5 (148 × 210 mm)",
        fold,
        f'<dd class="col-sm-9">{pages}</dd>',
        f'<code class="qr-target">{routine_url(order.version)}</code>',
    ]:
        assert words in html, words
