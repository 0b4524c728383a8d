"""A person's own preferences page (/account/): her language and the daily reminder, off and on."""

from django.conf import settings
from django.urls import reverse

from accounts.models import Preferences
from accounts.reminders import reminder_recipients
from accounts.selectors import preferences_of

URL = "/account/"


def test_the_path_is_the_named_one():
    assert reverse("account") == URL


def test_defaults_without_a_row_are_bokmal_and_reminders_on(client_for, users):
    preferences = preferences_of(users["staff"])
    assert preferences.pk is None and preferences.language == "nb" and preferences.daily_reminder is True
    page = client_for("staff").get(URL).content.decode()
    assert 'name="daily_reminder"' in page and "checked" in page.split('name="daily_reminder"')[1].split(">")[0]


def test_turning_the_reminder_off_and_choosing_english(client_for, users):
    client = client_for("staff")
    response = client.post(URL, {"language": "en"})  # an unticked box is not sent
    assert response.status_code == 302 and response["Location"] == URL
    saved = Preferences.objects.get(user=users["staff"])
    assert (saved.language, saved.daily_reminder) == ("en", False)
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert users["staff"] not in reminder_recipients()
    page = client.get(URL).content.decode()
    assert "Your preferences are saved." in page
    assert "checked" not in page.split('name="daily_reminder"')[1].split(">")[0]

    client.post(URL, {"language": "nb", "daily_reminder": "on"})
    saved.refresh_from_db()
    assert (saved.language, saved.daily_reminder) == ("nb", True)
    assert users["staff"] in reminder_recipients()
    assert Preferences.objects.filter(user=users["staff"]).count() == 1


def test_an_unknown_language_is_a_form_error_not_a_500(client_for, users):
    response = client_for("staff").post(URL, {"language": "xx", "daily_reminder": "on"})
    assert response.status_code == 200
    assert response.context["form"].errors["language"]
    assert not Preferences.objects.exists()


def test_the_home_page_links_to_it(client_for, users):
    assert f'href="{URL}"' in client_for("counsellor").get("/").content.decode()


def test_each_person_changes_only_her_own(client_for, users):
    client_for("staff").post(URL, {"language": "en"})
    assert list(Preferences.objects.values_list("user__username", flat=True)) == ["staff"]


def test_the_language_switcher_saves_a_signed_in_persons_choice(client_for, users):
    client = client_for("counsellor")
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert preferences_of(users["counsellor"]).language == "en"
    assert preferences_of(users["counsellor"]).daily_reminder is True
    client.post("/i18n/setlang/", {"language": "nb", "next": "/"})
    assert Preferences.objects.get(user=users["counsellor"]).language == "nb"


def test_the_language_switcher_saves_nothing_for_the_signed_out_or_an_unknown_language(client_for, users):
    assert client_for("anonymous").post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    assert client_for("staff").post("/i18n/setlang/", {"language": "xx", "next": "/"}).status_code == 302
    assert client_for("staff").get("/i18n/setlang/?language=en").status_code == 302
    assert not Preferences.objects.exists()
