"""Password reset by e-mail: the same answer for any address, a limit on mails, a single-use link, logged, and
every session of the person ended."""

import re
from urllib.parse import urlsplit

from django.core import mail
from django.urls import reverse

from audit.models import AuditEvent
from usersessions.models import UserSession

NEW_PASSWORD = "et-helt-nytt-og-langt-passord-2026"


def ask(client, email):
    return client.post(reverse("password_reset"), {"email": email})


def reset_link(message) -> str:
    match = re.search(r"https?://\S+/password/reset/\S+/", message.body)
    assert match, message.body
    return urlsplit(match.group(0)).path


def test_known_and_unknown_addresses_get_the_same_answer(client_for, users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        known = ask(client_for("anonymous"), "counsellor@example.org")
        unknown = ask(client_for("anonymous"), "nobody@example.org")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("password_reset_done")
    [message] = mail.outbox
    assert message.to == ["counsellor@example.org"]
    assert message.body.count("http://127.0.0.1:8000/password/reset/") == 1  # the site's address, not the Host
    assert AuditEvent.objects.filter(action="auth.password_reset_requested").count() == 1


def test_the_link_sets_a_password_once_and_ends_every_session(client_for, users, django_capture_on_commit_callbacks):
    counsellor = users["counsellor"]
    signed_in = client_for("counsellor")
    assert signed_in.get(reverse("home")).status_code == 200
    assert UserSession.objects.filter(user=counsellor).exists()
    with django_capture_on_commit_callbacks(execute=True):
        ask(client_for("anonymous"), "COUNSELLOR@example.org")
    link = reset_link(mail.outbox[0])
    browser = client_for("anonymous")
    form_url = browser.get(link)["Location"]
    response = browser.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response["Location"] == reverse("password_reset_complete")
    counsellor.refresh_from_db()
    assert counsellor.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(action="auth.password_reset", actor=counsellor).count() == 1
    assert not UserSession.objects.filter(user=counsellor).exists()
    assert signed_in.get(reverse("intake:list"))["Location"].startswith(reverse("login"))
    # Single use.
    response = client_for("anonymous").get(link, follow=True)
    assert "new_password1" not in response.content.decode()


def test_a_weak_password_is_refused_with_a_reason(client_for, users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ask(client_for("anonymous"), "counsellor@example.org")
    browser = client_for("anonymous")
    form_url = browser.get(reset_link(mail.outbox[0]))["Location"]
    response = browser.post(form_url, {"new_password1": "123", "new_password2": "123"})
    assert response.status_code == 200
    assert "new_password1" in response.content.decode() and "invalid-feedback" in response.content.decode()


def test_mails_to_one_account_are_limited(client_for, users, settings, django_capture_on_commit_callbacks):
    settings.PASSWORD_RESET_RATE = 2
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(4):
            # From different client addresses: the limit per account holds whoever asks.
            client_for("anonymous").post(
                reverse("password_reset"), {"email": "staff@example.org"}, REMOTE_ADDR=f"10.0.0.{_}"
            )
    assert len(mail.outbox) == 2


def test_requests_from_one_address_are_limited(client_for, users, settings, django_capture_on_commit_callbacks):
    settings.PASSWORD_RESET_RATE = 2
    with django_capture_on_commit_callbacks(execute=True):
        for persona in ["staff", "editor", "manager"]:
            response = client_for("anonymous").post(
                reverse("password_reset"), {"email": f"{persona}@example.org"}, REMOTE_ADDR="10.9.9.9"
            )
            assert response.status_code == 302  # the same answer, sent or not
    assert len(mail.outbox) == 2


def test_the_login_page_links_to_the_reset(client):
    assert reverse("password_reset") in client.get(reverse("login")).content.decode()
