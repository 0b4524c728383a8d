"""Session controls: the database session engine that knows its user, ending sessions on deactivation,
role changes taking effect on the next request, the idle dialog's status and keep-alive endpoints, and the
intake step's autosave (through the same service and revision check as a normal save)."""

import time
from datetime import timedelta

from django.conf import settings as django_settings
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from accounts.roles import Role
from accounts.services import membership_revoke
from audit.models import AuditEvent
from intake.demo import demo_tree_document
from intake.questionnaire import Tree
from tests.conftest import PASSWORD
from usersessions.middleware import SESSION_STARTED_KEY
from usersessions.models import UserSession
from usersessions.services import end_sessions

TREE = Tree(demo_tree_document("nb"))


def q(link_id: str) -> str:
    return f"q{TREE.by_link_id[link_id].index}"


def log_in(username: str) -> Client:
    """A real login through the login form (so the session row is written the way a browser's is)."""
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


# The session engine


def test_the_session_engine_records_the_user(users):
    assert django_settings.SESSION_ENGINE == "usersessions.sessions"
    client = log_in("counsellor")
    client.get(reverse("home"))
    row = UserSession.objects.get(session_key=client.cookies[django_settings.SESSION_COOKIE_NAME].value)
    assert row.user == users["counsellor"]
    assert row.get_decoded()[SESSION_KEY] == str(users["counsellor"].pk)


def test_login_rotates_the_session_key_and_logout_deletes_the_row(users):
    from usersessions.sessions import SessionStore

    before = SessionStore()
    before["planted"] = True  # a session someone may have planted in the browser before the login (fixation)
    before.create()
    client = Client()
    client.cookies[django_settings.SESSION_COOKIE_NAME] = before.session_key
    client.post(reverse("login"), {"username": "counsellor", "password": PASSWORD})
    key = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    assert key != before.session_key
    assert not UserSession.objects.filter(session_key=before.session_key).exists()
    # Django's keys: 32 characters of [a-z0-9] from a CSPRNG (about 165 bits).
    assert len(key) == 32 and key.isalnum() and key == key.lower()
    assert UserSession.objects.filter(session_key=key, user=users["counsellor"]).exists()
    client.post(reverse("logout"))
    assert not UserSession.objects.filter(session_key=key).exists()
    assert not UserSession.objects.filter(user=users["counsellor"]).exists()


def test_session_cookie_is_http_only_and_same_site(users):
    client = log_in("staff")
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["max-age"] == ""  # dies with the browser


# Deactivation and role changes


def test_deactivating_a_user_ends_every_session_and_is_audited(users):
    user = users["counsellor"]
    phone, laptop = log_in("counsellor"), log_in("counsellor")
    other = log_in("counsellor2")
    assert UserSession.objects.filter(user=user).count() == 2
    user.is_active = False
    user.save()
    assert not UserSession.objects.filter(user=user).exists()
    assert UserSession.objects.filter(user=users["counsellor2"]).count() == 1  # nobody else's
    event = AuditEvent.objects.get(action="auth.sessions_ended")
    assert (event.target_type, event.target_id) == ("auth.user", str(user.pk))
    for client in (phone, laptop):
        response = client.get(reverse("intake:list"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert other.get(reverse("intake:list")).status_code == 200


def test_saving_an_inactive_user_again_ends_nothing_more(users):
    user = users["staff"]
    user.is_active = False
    user.save()
    user.first_name = "Changed"
    user.save()
    user.is_active = True
    user.save()
    assert AuditEvent.objects.filter(action="auth.sessions_ended").count() == 0  # she had no session


def test_deactivation_through_the_admin_ends_sessions(users):
    victim = log_in("counsellor")
    admin = Client()
    admin.force_login(users["admin"])
    user = users["counsellor"]
    response = admin.post(
        reverse("admin:auth_user_change", args=[user.pk]),
        {
            "username": user.username,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "is_staff": "",
            "is_active": "",
            "groups": list(user.groups.values_list("pk", flat=True)),
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": timezone.localtime(user.date_joined).strftime("%Y-%m-%d"),
            "date_joined_1": timezone.localtime(user.date_joined).strftime("%H:%M:%S"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user.refresh_from_db()
    assert user.is_active is False
    assert not UserSession.objects.filter(user=user).exists()
    assert victim.get(reverse("home")).context["user"].is_authenticated is False


def test_end_sessions_keeps_the_callers_own_when_asked(users):
    mine, other = log_in("manager"), log_in("manager")
    key = mine.cookies[django_settings.SESSION_COOKIE_NAME].value
    assert end_sessions(users["manager"], actor=users["admin"], keep=key) == 1
    assert list(UserSession.objects.filter(user=users["manager"]).values_list("session_key", flat=True)) == [key]
    assert AuditEvent.objects.get(action="auth.sessions_ended").actor == users["admin"]
    assert mine.get(reverse("password_change")).status_code == 200
    assert other.get(reverse("password_change")).status_code == 302
    assert end_sessions(users["staff"]) == 0
    assert AuditEvent.objects.filter(action="auth.sessions_ended").count() == 1  # nothing ended, nothing logged


def test_changing_the_password_ends_the_other_sessions(users):
    here, elsewhere = log_in("staff"), log_in("staff")
    new = "a-brand-new-passphrase-2026"
    response = here.post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    assert UserSession.objects.filter(user=users["staff"]).count() == 1
    assert here.get(reverse("password_change")).status_code == 200
    assert elsewhere.get(reverse("password_change")).status_code == 302


def test_revoked_counsellor_gets_404_on_her_intake_on_the_very_next_request(users, intake_a):
    client = log_in("counsellor")
    url = reverse("intake:step", args=[intake_a.pk, "contact"])
    assert client.get(url).status_code == 200
    membership_revoke(membership=Membership.objects.get(user=users["counsellor"], role=Role.COUNSELLOR))
    # The same session, the very next request: no permission was cached across requests.
    assert client.get(url).status_code == 404
    assert client.get(reverse("intake:list")).status_code == 404


def test_permission_caches_live_on_one_user_object_only(users, intake_a):
    """Django's _perm_cache and guardian's checker are per user object, and each request loads a fresh user:
    a revocation is seen by the next request however warm the previous one's caches were."""
    from guardian.core import ObjectPermissionChecker

    user = users["counsellor"]
    assert user.has_perm("intake.add_intake") and user.has_perm("intake.view_intake", intake_a)
    checker = ObjectPermissionChecker(user)
    assert checker.has_perm("view_intake", intake_a)
    membership_revoke(membership=Membership.objects.get(user=user, role=Role.COUNSELLOR))
    from guardian.shortcuts import remove_perm

    remove_perm("intake.view_intake", user, intake_a)
    assert user.has_perm("intake.add_intake")  # the old object still answers from its cache
    fresh = type(user).objects.get(pk=user.pk)  # what the next request gets
    assert not fresh.has_perm("intake.add_intake")
    assert not ObjectPermissionChecker(fresh).has_perm("view_intake", intake_a)


def test_removing_a_permission_from_a_role_group_takes_effect_on_the_next_request(users, routines):
    from django.contrib.auth.models import Group, Permission

    client = log_in("editor")
    assert client.get(reverse("routines:editor_list")).status_code == 200
    Group.objects.get(name=Role.EDITOR).permissions.remove(Permission.objects.get(codename="change_routine"))
    assert client.get(reverse("routines:editor_list")).status_code == 404


# The idle dialog's endpoints


def test_pages_of_signed_in_users_carry_the_timeout_and_the_dialog(users):
    client = log_in("counsellor")
    html = client.get(reverse("home")).content.decode()
    assert 'data-session-age="1800"' in html and 'data-session-warning="120"' in html
    assert 'id="idle-dialog"' in html and "js/idle.js" in html
    absolute = int(html.split('data-session-absolute="')[1].split('"')[0])
    assert 12 * 3600 - 60 < absolute <= 12 * 3600
    public = Client().get(reverse("home")).content.decode()
    assert "data-session-age" not in public and "idle-dialog" not in public


def test_status_reads_the_time_left_without_renewing_it(users):
    client = log_in("counsellor")
    client.get(reverse("home"))
    key = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    UserSession.objects.filter(session_key=key).update(expire_date=timezone.now() + timedelta(seconds=100))
    response = client.get(reverse("usersessions:status"))
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    answer = response.json()
    assert answer["authenticated"] is True and answer["limited"] is False
    assert 95 <= answer["remaining"] <= 100
    left = UserSession.objects.get(session_key=key).expire_date - timezone.now()
    assert left <= timedelta(seconds=100)  # asking did not renew it


def test_status_after_the_idle_timeout_says_ended(users):
    client = log_in("counsellor")
    key = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    UserSession.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    assert client.get(reverse("usersessions:status")).json() == {
        "authenticated": False,
        "remaining": 0,
        "limited": False,
    }
    response = client.get(reverse("intake:list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_keep_alive_renews_the_idle_timeout_and_needs_csrf(users):
    client = log_in("counsellor")
    key = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    UserSession.objects.filter(session_key=key).update(expire_date=timezone.now() + timedelta(seconds=60))
    answer = client.post(reverse("usersessions:keep_alive")).json()
    assert answer == {"authenticated": True, "remaining": 1800, "limited": False}
    left = UserSession.objects.get(session_key=key).expire_date - timezone.now()
    assert timedelta(minutes=29) < left <= timedelta(minutes=30)
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = client.cookies
    assert strict.post(reverse("usersessions:keep_alive")).status_code == 403
    assert client.get(reverse("usersessions:keep_alive")).status_code == 405
    assert Client().post(reverse("usersessions:keep_alive")).status_code == 401


def test_keep_alive_never_extends_past_the_absolute_limit(users):
    client = log_in("counsellor")
    session = client.session
    session[SESSION_STARTED_KEY] = time.time() - 12 * 3600 + 90  # 90 s before the absolute limit
    session.save()
    answer = client.post(reverse("usersessions:keep_alive")).json()
    assert answer["limited"] is True and 85 <= answer["remaining"] <= 90
    status = client.get(reverse("usersessions:status")).json()
    assert status["limited"] is True and status["remaining"] <= 90
    session = client.session
    session[SESSION_STARTED_KEY] = time.time() - 12 * 3600 - 1
    session.save()
    response = client.post(reverse("usersessions:keep_alive"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.get(reverse("usersessions:status")).json()["authenticated"] is False


# Autosave of intake steps


def autosave(client, intake, step, answers: dict, revision: int):
    data = {q(k): v for k, v in answers.items()}
    data["revision"] = revision
    return client.post(reverse("intake:step_autosave", args=[intake.pk, step]), data)


def test_autosave_saves_a_partial_step_through_the_service(users, intake_a):
    client = log_in("counsellor")
    response = autosave(client, intake_a, "contact", {"contact-channel": "phone"}, revision=0)
    assert response.status_code == 200
    assert response.json() == {"saved": True, "changed": True, "revision": 1, "unsaved": 0}
    intake_a.refresh_from_db()
    # Required "interpreter-needed" is still unanswered: a draft may be incomplete.
    assert list(intake_a.answers) == ["contact-channel"]
    assert intake_a.answers["contact-channel"][0]["code"] == "phone"
    assert (intake_a.revision, intake_a.current_step) == (1, "contact")
    assert AuditEvent.objects.filter(action="intake.autosaved", target_id=str(intake_a.pk)).count() == 1
    # The same again changes nothing and writes nothing.
    again = autosave(client, intake_a, "contact", {"contact-channel": "phone"}, revision=1).json()
    assert again == {"saved": True, "changed": False, "revision": 1, "unsaved": 0}
    assert AuditEvent.objects.filter(action="intake.autosaved", target_id=str(intake_a.pk)).count() == 1


def test_autosave_keeps_the_saved_answer_of_a_question_that_does_not_validate(users, intake_a):
    client = log_in("counsellor")
    saved = autosave(client, intake_a, "perpetrator", {"perpetrator-count": "2"}, revision=0).json()
    assert saved == {"saved": True, "changed": True, "revision": 1, "unsaved": 0}
    typed = {"perpetrator-count": "two", "escalation": "true"}
    answer = autosave(client, intake_a, "perpetrator", typed, revision=1).json()
    assert answer == {"saved": True, "changed": True, "revision": 2, "unsaved": 1}
    intake_a.refresh_from_db()
    assert intake_a.answers["perpetrator-count"] == [2]  # not lost, not replaced by the invalid text
    assert intake_a.answers["escalation"] == [True]


def test_autosave_refuses_to_overwrite_a_newer_save(users, intake_a):
    client = log_in("counsellor")
    autosave(client, intake_a, "situation", {"why-now": "Fra den andre fanen"}, revision=0)
    response = autosave(client, intake_a, "situation", {"why-now": "Fra denne fanen"}, revision=0)
    assert response.status_code == 409 and response.json() == {"saved": False, "reason": "conflict"}
    intake_a.refresh_from_db()
    assert intake_a.answers["why-now"] == ["Fra den andre fanen"] and intake_a.revision == 1


def test_autosave_is_for_the_intakes_changers_only(users, intake_a, client_for):
    data = {q("why-now"): "x", "revision": 0}
    url = reverse("intake:step_autosave", args=[intake_a.pk, "situation"])
    assert client_for("counsellor2").post(url, data).status_code == 404
    assert client_for("counsellor_other").post(url, data).status_code == 404
    assert client_for("manager").post(url, data).status_code == 403
    anonymous = Client().post(url, data)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))
    unknown = reverse("intake:step_autosave", args=[intake_a.pk, "nope"])
    assert client_for("counsellor").post(unknown, data).status_code == 404
    assert client_for("counsellor").post(url, {q("why-now"): "x"}).status_code == 400  # no revision
    intake_a.refresh_from_db()
    assert intake_a.answers == {}


def test_autosaved_answers_are_shown_after_logging_in_again(users, intake_a):
    client = log_in("counsellor")
    autosave(client, intake_a, "situation", {"why-now": "Skrevet før økten gikk ut"}, revision=0)
    key = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    UserSession.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    step = reverse("intake:step", args=[intake_a.pk, "situation"])
    response = client.get(step)
    assert response.status_code == 302 and response["Location"] == f"{reverse('login')}?next={step}"
    response = client.post(response["Location"], {"username": "counsellor", "password": PASSWORD})
    assert response["Location"] == step
    assert "Skrevet før økten gikk ut" in client.get(step).content.decode()


# Seeing and ending one's other sessions


def test_a_person_sees_her_other_sessions_and_ends_them_with_her_password(users):
    here, phone, laptop = log_in("counsellor2"), log_in("counsellor2"), log_in("counsellor2")
    colleague = log_in("counsellor")
    url = reverse("usersessions:others")
    html = here.get(url).content.decode()
    assert "Du er logget inn i 2 andre nettlesere eller enheter." in html
    assert html.count("Sist aktiv") == 2

    wrong = here.post(url, {"password": "not-her-password"})
    assert wrong.status_code == 200 and "Passordet er ikke riktig." in wrong.content.decode()
    assert UserSession.objects.filter(user=users["counsellor2"]).count() == 3

    response = here.post(url, {"password": PASSWORD}, follow=True)
    assert "2 andre økter ble avsluttet." in response.content.decode()
    assert UserSession.objects.filter(user=users["counsellor2"]).count() == 1
    assert here.get(reverse("password_change")).status_code == 200
    for client in (phone, laptop):
        assert client.get(reverse("password_change")).status_code == 302
    assert colleague.get(reverse("password_change")).status_code == 200
    event = AuditEvent.objects.get(action="auth.sessions_ended")
    assert event.actor == users["counsellor2"] and event.target_id == str(users["counsellor2"].pk)
    assert "Du er ikke logget inn noe annet sted." in here.get(url).content.decode()


def test_wrong_passwords_on_the_sessions_page_count_towards_the_lockout(users):
    from axes.models import AccessAttempt

    client = log_in("staff")
    for _attempt in range(2):
        client.post(reverse("usersessions:others"), {"password": "guess"})
    assert AccessAttempt.objects.get(username="staff").failures_since_start == 2


def _find(items, link_id):
    for item in items:
        if item.get("linkId") == link_id:
            return item
        found = _find(item.get("item", []), link_id)
        if found:
            return found
    return None


def test_autosave_holds_back_a_change_that_would_clear_other_steps(demo, intake_trees, units):
    """An answer flipped by mistake must not silently wipe a later step: autosave keeps everything and says
    so; the counsellor's own save clears it and tells her what it cleared."""
    from accounts.demo import CENTRE_A
    from intake.services import intake_create, tree_version_create, tree_version_publish

    doc = demo_tree_document("nb")
    # In this variant, "why now" (a later step) is asked only when an interpreter is needed (the contact step).
    _find(doc["item"], "why-now")["enableWhen"] = [
        {"question": "interpreter-needed", "operator": "=", "answerBoolean": True}
    ]
    version = tree_version_publish(version=tree_version_create(doc=doc, tree_slug="cross-step", language="nb"))
    tree = Tree(version.questionnaire)
    intake = intake_create(user=demo["users"]["counsellor"], unit=units[CENTRE_A], tree_version=version)
    client = log_in("counsellor")

    def field(link_id):
        return f"q{tree.by_link_id[link_id].index}"

    def save(step, data, revision, url_name="intake:step_autosave"):
        if step == "contact":
            data = {field("contact-channel"): "phone", **data}
        return client.post(reverse(url_name, args=[intake.pk, step]), {**data, "revision": revision, "action": "next"})

    assert save("contact", {field("interpreter-needed"): "true"}, 0).json()["saved"] is True
    assert save("situation", {field("why-now"): "Han kommer hjem i kveld"}, 1).json()["saved"] is True
    answer = save("contact", {field("interpreter-needed"): "false"}, 2)
    assert answer.status_code == 200 and answer.json() == {"saved": False, "reason": "would_clear", "revision": 2}
    intake.refresh_from_db()
    assert intake.answers["why-now"] == ["Han kommer hjem i kveld"] and intake.answers["interpreter-needed"] == [True]
    # The counsellor saves the step herself: now it is cleared, and she is told.
    response = save("contact", {field("interpreter-needed"): "false"}, 2, url_name="intake:step")
    assert response.status_code == 302
    intake.refresh_from_db()
    assert "why-now" not in intake.answers and intake.answers["interpreter-needed"] == [False]
    assert any("ble tømt" in str(m) for m in response.wsgi_request._messages)
