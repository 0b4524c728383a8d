"""Two-factor login (the twofactor app): who must enrol, the code step after the password, recovery codes,
throttling, reuse of a code, the admin's reset, and that nothing changes with the setting off."""

import re
from urllib.parse import parse_qs, urlparse

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEvent
from tests.conftest import PASSWORD
from twofactor.services import recovery_codes_replace
from twofactor.views import ENROL_KEY_SESSION_KEY
from usersessions.models import UserSession

NOW = 1_900_000_000  # a fixed instant (2030), so the codes are known
FORCED = ["counsellor", "manager", "editor", "admin"]
VOLUNTARY = ["staff", "printshop"]
PROTECTED = "/password/"  # any page that needs a login and is not exempt


@pytest.fixture
def required(settings):
    settings.TWO_FACTOR_REQUIRED = True


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def code_for(device_or_key, at=None) -> str:
    key = device_or_key.bin_key if isinstance(device_or_key, TOTPDevice) else bytes.fromhex(device_or_key)
    with time_machine.travel(at or NOW, tick=False):
        return f"{totp(key):06d}"


def log_in(username) -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302, "password login failed"
    return client


def enrolled(user) -> TOTPDevice:
    """A confirmed authenticator for this user, as enrolment leaves it, plus recovery codes."""
    device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    recovery_codes_replace(user)
    return device


def actions(user=None):
    """The two-factor audit actions in time order (events of one instant of the frozen clock come in any
    order: the ids are UUIDs)."""
    events = AuditEvent.objects.filter(action__startswith="auth.otp")
    if user is not None:
        events = events.filter(actor=user)
    return list(events.order_by("at", "pk").values_list("action", flat=True))


# --- Who is sent where ----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", FORCED)
def test_forced_roles_without_device_are_sent_to_enrolment_and_next_is_kept(required, demo, persona):
    client = log_in(persona)
    response = client.get(PROTECTED)
    assert response.status_code == 302
    url = urlparse(response["Location"])
    assert url.path == reverse("twofactor:enrol")
    assert parse_qs(url.query)["next"] == [PROTECTED]
    # home too: nothing but the exempt pages before the second step
    assert client.get(reverse("home"))["Location"].startswith(reverse("twofactor:enrol"))


@pytest.mark.parametrize("persona", VOLUNTARY)
def test_staff_and_print_shop_are_not_forced(required, demo, persona):
    client = log_in(persona)
    assert client.get(PROTECTED).status_code == 200
    page = client.get(reverse("twofactor:account"))
    assert page.status_code == 200
    assert "Set up two-factor login" in page.content.decode() or "Sett opp" in page.content.decode()


def test_voluntary_user_with_device_is_asked_for_the_code(required, users, clock):
    device = enrolled(users["staff"])
    client = log_in("staff")
    response = client.get(PROTECTED)
    assert response["Location"].startswith(reverse("twofactor:verify"))
    response = client.post(reverse("twofactor:verify"), {"code": code_for(device), "next": PROTECTED})
    assert response["Location"] == PROTECTED


def test_exempt_pages_stay_reachable_before_the_second_step(required, demo, routines):
    client = log_in("counsellor")
    assert client.get(reverse("routines:detail", args=["vold-og-trusler"])).status_code == 200
    assert client.get(reverse("routines:list")).status_code == 200
    assert client.get(reverse("healthz")).status_code == 200
    assert client.post(reverse("set_language"), {"language": "en", "next": "/"}).status_code == 302
    assert client.get(reverse("twofactor:enrol")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_with_the_setting_off_nothing_changes(settings, users):
    settings.TWO_FACTOR_REQUIRED = False
    enrolled(users["counsellor"])
    client = log_in("counsellor")
    assert client.get(PROTECTED).status_code == 200
    assert client.get(reverse("home")).status_code == 200
    client = log_in("manager")  # no device at all
    assert client.get(PROTECTED).status_code == 200
    assert actions() == []


# --- Enrolment ------------------------------------------------------------------------------------------


def test_enrolment_confirms_only_with_a_right_code_then_shows_recovery_codes_once(required, users, clock):
    client = log_in("counsellor")
    page = client.get(reverse("twofactor:enrol") + "?next=" + PROTECTED)
    html = page.content.decode()
    assert page.status_code == 200
    assert page["Cache-Control"] == "no-store"
    assert 'src="data:image/svg+xml' in html  # the QR code, allowed by img-src data:
    assert 'autocomplete="one-time-code"' in html and 'inputmode="numeric"' in html
    key = client.session[ENROL_KEY_SESSION_KEY]
    assert not TOTPDevice.objects.filter(user=users["counsellor"]).exists()  # a GET writes nothing
    from base64 import b32encode

    secret = b32encode(bytes.fromhex(key)).decode()
    assert secret[:4] + " " + secret[4:8] in html  # the key by hand, grouped

    wrong = f"{(int(code_for(key)) + 1) % 1_000_000:06d}"
    response = client.post(reverse("twofactor:enrol"), {"code": wrong, "next": PROTECTED})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode() or "invalid-feedback" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=users["counsellor"], confirmed=True).exists()
    assert client.get(PROTECTED)["Location"].startswith(reverse("twofactor:enrol"))

    clock.shift(2)  # past the one-second throttle the wrong code started
    response = client.post(reverse("twofactor:enrol"), {"code": code_for(key), "next": PROTECTED})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    device = TOTPDevice.objects.get(user=users["counsellor"])
    assert device.confirmed and device.key == key
    shown = re.findall(r"<code>(\d{4} \d{4} \d{4})</code>", response.content.decode())
    assert len(shown) == 10
    stored = set(StaticToken.objects.filter(device__user=users["counsellor"]).values_list("token", flat=True))
    assert {code.replace(" ", "") for code in shown} == stored
    assert f'href="{PROTECTED}"' in response.content.decode()
    # verified now: the page opens, and the codes are not shown again anywhere
    assert client.get(PROTECTED).status_code == 200
    account = client.get(reverse("twofactor:account")).content.decode()
    assert shown[0] not in account
    assert "10" in account
    assert client.get(reverse("twofactor:enrol")).status_code == 302  # no second enrolment
    assert actions(users["counsellor"]) == ["auth.otp_failed", "auth.otp_enrolled"]


def test_enrolment_is_refused_while_a_confirmed_device_exists(required, users, clock):
    device = enrolled(users["manager"])
    client = log_in("manager")
    response = client.get(reverse("twofactor:enrol"))
    assert response["Location"].startswith(reverse("twofactor:verify"))
    # a code for another key cannot replace the authenticator
    client.post(reverse("twofactor:enrol"), {"code": "123456"})
    assert list(TOTPDevice.objects.filter(user=users["manager"])) == [device]


# --- The code step --------------------------------------------------------------------------------------


def test_verified_user_reaches_the_page_and_next_is_kept(required, users, clock, intake_a):
    device = enrolled(users["counsellor"])
    step = reverse("intake:step", args=[intake_a.pk, "contact"])  # the wizard resumes at this step
    client = Client()
    response = client.get(step)
    assert response["Location"].startswith(reverse("login"))
    login_next = parse_qs(urlparse(response["Location"]).query)["next"][0]
    response = client.post(reverse("login"), {"username": "counsellor", "password": PASSWORD, "next": login_next})
    assert response["Location"] == step
    response = client.get(step)
    assert urlparse(response["Location"]).path == reverse("twofactor:verify")
    verify_url = response["Location"]
    page = client.get(verify_url)
    assert f'name="next" value="{step}"' in page.content.decode()
    session_before = client.session.session_key
    response = client.post(reverse("twofactor:verify"), {"code": code_for(device), "next": step})
    assert response.status_code == 302 and response["Location"] == step
    assert client.session.session_key != session_before  # a new session id at the second step
    assert client.get(step).status_code == 200
    assert actions(users["counsellor"]) == ["auth.otp_verified"]


def test_next_to_another_site_is_ignored(required, users, clock):
    device = enrolled(users["editor"])
    client = log_in("editor")
    response = client.post(reverse("twofactor:verify"), {"code": code_for(device), "next": "https://evil.example/"})
    assert response["Location"] == reverse("home")


def test_wrong_code_is_refused_with_an_error_and_logged_without_the_code(required, users, clock):
    device = enrolled(users["manager"])
    client = log_in("manager")
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    response = client.post(reverse("twofactor:verify"), {"code": wrong, "next": PROTECTED})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-invalid="true"' in html or "is-invalid" in html
    assert client.get(PROTECTED)["Location"].startswith(reverse("twofactor:verify"))
    assert actions(users["manager"]) == ["auth.otp_failed"]
    event = AuditEvent.objects.get(action="auth.otp_failed")
    assert wrong not in f"{event.target_type}{event.target_id}"


def test_a_code_cannot_be_used_twice(required, users, clock):
    """V2.8.4: the device keeps the last time step used; the same code is refused in a second session."""
    device = enrolled(users["counsellor"])
    code = code_for(device)
    first = log_in("counsellor")
    assert first.post(reverse("twofactor:verify"), {"code": code})["Location"] == reverse("home")
    clock.shift(1)  # still the same 30-second step
    second = log_in("counsellor")
    response = second.post(reverse("twofactor:verify"), {"code": code})
    assert response.status_code == 200
    assert second.get(PROTECTED)["Location"].startswith(reverse("twofactor:verify"))
    assert actions(users["counsellor"]) == ["auth.otp_verified", "auth.otp_failed"]  # V2.8.5: the reuse is logged
    # the next time step's code works
    clock.shift(30)
    assert second.post(reverse("twofactor:verify"), {"code": code_for(device, NOW + 31)}).status_code == 302


def test_codes_from_the_neighbouring_time_steps_only(required, users, clock):
    """V2.8.1: a code lives 30 seconds, with one step of tolerance for clock drift; older ones fail."""
    device = enrolled(users["editor"])
    client = log_in("editor")
    response = client.post(reverse("twofactor:verify"), {"code": code_for(device, NOW - 90)})
    assert response.status_code == 200
    clock.shift(5)
    assert client.post(reverse("twofactor:verify"), {"code": code_for(device, NOW - 30)}).status_code == 302


def test_throttling_after_repeated_failures(required, users, clock):
    """V2.2.1: each wrong code doubles the wait before the next try (1, 2, 4, ... seconds); a right code is
    refused too while throttled, and works once the wait is over."""
    device = enrolled(users["counsellor"])
    client = log_in("counsellor")
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    for seconds_waited in (0, 2, 3, 5):  # each try comes after the previous wait is over
        clock.shift(seconds_waited)
        assert client.post(reverse("twofactor:verify"), {"code": wrong}).status_code == 200
    device.refresh_from_db()
    assert device.throttling_failure_count == 4
    # now 8 seconds must pass: the right code is refused, with a message saying how long to wait
    clock.shift(3)
    response = client.post(reverse("twofactor:verify"), {"code": code_for(device, NOW + 13)})
    assert response.status_code == 200
    assert re.search(r"(Wait|Vent) \d+ (second|sekund)", response.content.decode())
    device.refresh_from_db()
    assert device.throttling_failure_count == 4  # a throttled try does not count or reach the device
    clock.shift(6)
    response = client.post(reverse("twofactor:verify"), {"code": code_for(device, NOW + 19)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 0
    assert actions(users["counsellor"]) == ["auth.otp_failed"] * 5 + ["auth.otp_verified"]


# --- Recovery codes -------------------------------------------------------------------------------------


def test_a_recovery_code_works_once(required, users, clock):
    user = users["manager"]
    enrolled(user)
    code = StaticToken.objects.filter(device__user=user).first().token
    client = log_in("manager")
    response = client.post(
        reverse("twofactor:verify"), {"code": f"{code[:4]} {code[4:8]}-{code[8:]}", "next": PROTECTED}
    )
    assert response["Location"] == PROTECTED
    assert client.get(PROTECTED).status_code == 200
    assert StaticToken.objects.filter(device__user=user).count() == 9
    assert "auth.otp_recovery_used" in actions(user)
    clock.shift(5)
    again = log_in("manager")
    assert again.post(reverse("twofactor:verify"), {"code": code}).status_code == 200
    assert again.get(PROTECTED)["Location"].startswith(reverse("twofactor:verify"))
    assert actions(user)[-1] == "auth.otp_failed"


def test_regenerating_recovery_codes_needs_a_code_and_replaces_them(required, users, clock):
    user = users["counsellor"]
    device = enrolled(user)
    old = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    client = log_in("counsellor")
    client.post(reverse("twofactor:verify"), {"code": code_for(device)})
    clock.shift(3)
    response = client.post(reverse("twofactor:recovery_codes"), {"code": "000000"})
    assert response.status_code == 200
    assert set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == old
    clock.shift(30)
    response = client.post(reverse("twofactor:recovery_codes"), {"code": code_for(device, NOW + 33)})
    assert response.status_code == 200
    new = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert len(new) == 10 and not new & old
    shown = {c.replace(" ", "") for c in re.findall(r"<code>(\d{4} \d{4} \d{4})</code>", response.content.decode())}
    assert shown == new
    assert actions(user)[-2:] == ["auth.otp_failed", "auth.otp_recovery_regenerated"]


# --- The administrator's reset (lost phone) -------------------------------------------------------------


def test_admin_reset_deletes_devices_ends_sessions_logs_and_forces_enrolment(required, users, clock):
    user = users["counsellor"]
    device = enrolled(user)
    victim = log_in("counsellor")
    victim.post(reverse("twofactor:verify"), {"code": code_for(device)})
    assert victim.get(PROTECTED).status_code == 200
    admin = log_in("admin")
    admin_device = enrolled(users["admin"])
    admin.post(reverse("twofactor:verify"), {"code": code_for(admin_device)})

    response = admin.post(
        reverse("admin:auth_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [user.pk]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticDevice.objects.filter(user=user).exists()
    assert TOTPDevice.objects.filter(user=users["admin"]).exists()
    event = AuditEvent.objects.get(action="auth.otp_reset")
    assert (event.actor, event.target_type, event.target_id) == (users["admin"], "auth.user", str(user.pk))
    # the counsellor's session is gone; the admin's is not
    assert victim.get(PROTECTED)["Location"].startswith(reverse("login"))
    assert admin.get(reverse("admin:index")).status_code == 200
    assert not UserSession.objects.filter(user=user).exists()
    assert AuditEvent.objects.filter(
        action="auth.sessions_ended", actor=users["admin"], target_id=str(user.pk)
    ).exists()
    # the next login goes to enrolment again
    again = log_in("counsellor")
    assert again.get(PROTECTED)["Location"].startswith(reverse("twofactor:enrol"))


def test_admin_pages_need_the_second_step_too(required, users, clock):
    enrolled(users["admin"])
    client = log_in("admin")
    assert client.get(reverse("admin:index"))["Location"].startswith(reverse("twofactor:verify"))


def test_admin_user_list_shows_who_has_two_factor_and_offers_no_device_pages(users, client_for):
    before = client_for("admin").get(reverse("admin:auth_user_changelist")).content.decode()
    enrolled(users["editor"])
    page = client_for("admin").get(reverse("admin:auth_user_changelist"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "reset_two_factor" in html
    assert html.count('alt="True"') == before.count('alt="True"') + 1  # the editor's authenticator
    # django-otp's own device admin (where a key could be typed in or read) is not registered
    from django.contrib import admin

    assert not admin.site.is_registered(TOTPDevice) and not admin.site.is_registered(StaticDevice)
    assert client_for("admin").get("/admin/otp_totp/totpdevice/").status_code == 404


def test_codes_and_keys_never_reach_the_logs(required, users, clock, caplog):
    device = enrolled(users["manager"])
    recovery = StaticToken.objects.filter(device__user=users["manager"]).first().token
    client = log_in("manager")
    with caplog.at_level("DEBUG"):
        client.post(reverse("twofactor:verify"), {"code": "123456"})
        clock.shift(5)
        client.post(reverse("twofactor:verify"), {"code": recovery})
        client.get(reverse("twofactor:account"))
    text = caplog.text + " ".join(f"{e.action} {e.target_type} {e.target_id}" for e in AuditEvent.objects.all())
    assert "123456" not in text and recovery not in text and device.key not in text
    failed, *same_instant = actions(users["manager"])
    assert failed == "auth.otp_failed"
    assert sorted(same_instant) == ["auth.otp_recovery_used", "auth.otp_verified"]


def test_a_staff_account_of_the_admin_must_enrol_too(required, users):
    user = users["printshop"]  # no role that requires it ...
    user.is_staff = True  # ... but may use the Django admin
    user.save()
    assert log_in("printshop").get(PROTECTED)["Location"].startswith(reverse("twofactor:enrol"))


def test_only_those_who_may_change_users_reset_and_only_a_superuser_resets_a_superuser(users):
    from django.contrib.auth.models import Permission

    helper = users["editor"]
    helper.is_staff = True
    helper.save()
    helper.user_permissions.add(Permission.objects.get(codename="view_user"))
    client = log_in("editor")
    changelist = reverse("admin:auth_user_changelist")
    assert client.get(changelist).status_code == 200
    assert "reset_two_factor" not in client.get(changelist).content.decode()  # view only: no such action
    admin_device = enrolled(users["admin"])
    response = client.post(changelist, {"action": "reset_two_factor", "_selected_action": [users["admin"].pk]})
    assert TOTPDevice.objects.filter(pk=admin_device.pk).exists()

    helper.user_permissions.add(Permission.objects.get(codename="change_user"))
    client = log_in("editor")
    response = client.post(
        changelist, {"action": "reset_two_factor", "_selected_action": [users["admin"].pk]}, follow=True
    )
    assert response.status_code == 200
    assert TOTPDevice.objects.filter(pk=admin_device.pk).exists()  # a superuser's: refused
    assert not AuditEvent.objects.filter(action="auth.otp_reset").exists()
    counsellor_device = enrolled(users["counsellor"])
    client.post(changelist, {"action": "reset_two_factor", "_selected_action": [users["counsellor"].pk]})
    assert not TOTPDevice.objects.filter(pk=counsellor_device.pk).exists()


def test_the_idle_dialogs_time_check_works_before_the_second_step(required, users):
    client = log_in("counsellor")
    response = client.get(reverse("usersessions:status"))
    assert response.status_code == 200 and response.json()["remaining"] > 0
