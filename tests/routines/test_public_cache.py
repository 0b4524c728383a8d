"""Anonymous routine pages are one page for everyone: no CSRF token, no cookie, served whole from the cache,
and a new version shows at once. Signed-in pages are never cached."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.http import OFFLINE_COPY_HEADER, SIGNED_IN_HEADER
from routines.demo_content import ROUTINES
from routines.models import Routine, RoutineVersion
from routines.services import routine_draft_start, routine_version_approve, routine_version_submit

VIOLENCE = "vold-og-trusler"
GUIDE = "avvergingsplikten-fasilitatorveileder"


def _statements(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]]


def _public_urls() -> list[str]:
    return [
        reverse("routines:list"),
        *(reverse("routines:detail", args=[data["slug"]]) for data in ROUTINES),
        reverse("routines:session", args=[GUIDE]),
    ]


def test_anonymous_routine_pages_carry_no_token_and_set_no_cookie(client, routines):
    for url in _public_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "csrfmiddlewaretoken" not in html, url
        assert response.cookies == {} and not response.has_header("Set-Cookie"), url
        assert response["Cache-Control"] == "no-cache", url
        assert "Cookie" in response["Vary"], url
        assert response[OFFLINE_COPY_HEADER] == "public", url
        # The language switch is a link to the cookie-setting view, back to this page.
        assert f'href="{reverse("choose_language")}?language=en&amp;next={url}"' in html, url


def test_the_second_request_is_served_from_the_cache(client, routines, django_assert_num_queries):
    url = reverse("routines:detail", args=[VIOLENCE])
    first = client.get(url)
    assert first.templates, "the first request renders the page"
    with CaptureQueriesContext(connection) as captured:
        second = client.get(url)
    assert second.status_code == 200
    # One query (the current version and publication stamp) and no template rendered: the page is the cached one.
    assert len(_statements(captured)) == 1, _statements(captured)
    assert second.templates == []
    assert second.content == first.content


def test_languages_are_cached_apart(client, routines):
    url = reverse("routines:detail", args=[VIOLENCE])
    assert ROUTINES[0]["title"]["nb"] in client.get(url).content.decode()
    switched = client.get(reverse("choose_language"), {"language": "en", "next": url})
    assert switched.status_code == 302 and switched["Location"] == url
    assert switched.cookies["django_language"].value == "en"
    assert switched.cookies["django_language"]["samesite"] == "Lax"
    english = client.get(url).content.decode()
    assert ROUTINES[0]["title"]["en"] in english and '<html lang="en">' in english


def test_a_publish_shows_the_new_version_at_once(client, routines, users):
    url = reverse("routines:detail", args=[VIOLENCE])
    related_url = reverse("routines:detail", args=["selvmordsfare-og-alvorlig-sykdom"])
    assert "Versjon 2 av rutinen" not in client.get(url).content.decode()
    client.get(related_url)  # cached; its related list names this routine
    draft = routine_draft_start(routine=Routine.objects.get(slug=VIOLENCE), user=users["editor"])
    RoutineVersion.objects.filter(pk=draft.pk).update(title_nb="Versjon 2 av rutinen")
    draft.refresh_from_db()
    routine_version_submit(version=draft, user=users["editor"])
    routine_version_approve(version=draft, user=users["manager"], numbers_confirmed=True)
    assert "Versjon 2 av rutinen" in client.get(url).content.decode()
    assert "Versjon 2 av rutinen" in client.get(reverse("routines:list")).content.decode()
    # The suicide-risk routine lists it as related (routines.demo_content): its title there is the new one too.
    assert "Versjon 2 av rutinen" in client.get(related_url).content.decode()


def test_a_routine_made_staff_only_is_not_served_from_the_cache(client, routines):
    url = reverse("routines:detail", args=[VIOLENCE])
    assert client.get(url).status_code == 200
    Routine.objects.filter(slug=VIOLENCE).update(staff_only=True)
    assert client.get(url).status_code == 302


@pytest.mark.parametrize("persona", ["staff", "editor"])
def test_signed_in_pages_are_never_cached(client_for, routines, persona):
    client = client_for(persona)
    url = reverse("routines:detail", args=[VIOLENCE])
    for _ in range(2):
        response = client.get(url)
        assert response.templates, "rendered, not taken from the cache"
        assert OFFLINE_COPY_HEADER not in response
        assert response[SIGNED_IN_HEADER] == "1"
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
        # Signed in, the language switch is the POST form with its token, as before.
        assert "csrfmiddlewaretoken" in response.content.decode()


def test_a_signed_in_visit_does_not_fill_the_anonymous_cache(client, client_for, routines):
    url = reverse("routines:detail", args=[VIOLENCE])
    client_for("editor").get(url)
    response = client.get(url)
    assert response.templates and "Logg ut" not in response.content.decode()


def test_a_search_or_a_query_string_is_not_cached(client, routines):
    for url in [reverse("routines:list") + "?q=vold", reverse("routines:detail", args=[VIOLENCE]) + "?x=1"]:
        first, second = client.get(url), client.get(url)
        assert second.templates, url
        assert OFFLINE_COPY_HEADER not in first and OFFLINE_COPY_HEADER not in second


def test_a_visitor_with_messages_waiting_gets_a_fresh_page(client, routines):
    url = reverse("routines:detail", args=[VIOLENCE])
    client.get(url)
    client.cookies["messages"] = "anything"
    assert client.get(url).templates


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)", ""])
def test_the_language_link_only_sends_back_to_this_site(client, db, target):
    response = client.get(reverse("choose_language"), {"language": "en", "next": target})
    assert response.status_code == 302 and response["Location"] == "/"
    assert "no-store" in response["Cache-Control"]


def test_an_unknown_language_sets_nothing(client, db):
    response = client.get(reverse("choose_language"), {"language": "xx", "next": "/routines/"})
    assert response["Location"] == "/routines/" and "django_language" not in response.cookies


def test_a_new_release_does_not_serve_the_previous_releases_pages(client, routines, monkeypatch):
    # A shared cache (Redis) outlives a release: the key carries a digest of the code, templates and styles.
    url = reverse("routines:detail", args=[VIOLENCE])
    client.get(url)
    assert client.get(url).templates == []
    monkeypatch.setattr("core.http.release_stamp", lambda: "the-next-release")
    assert client.get(url).templates, "rendered again by the new release"


# --- Served before the middleware (core.public_pages) --------------------------------------------------------


@pytest.fixture
def view_refuses(monkeypatch):
    """After this, a page that reaches the routine views' cache helper fails the test: it must have been
    answered by core.public_pages.EarlyPublicPageMiddleware."""

    def refuse(*args, **kwargs):
        raise AssertionError("the view ran; the cached page was not served early")

    def start():
        monkeypatch.setattr("routines.views.public.cached_public_page", refuse)

    return start


@pytest.mark.parametrize("language", ["nb", "en"])
@pytest.mark.parametrize(
    "url", [reverse("routines:detail", args=[VIOLENCE]), reverse("routines:session", args=[GUIDE])]
)
def test_a_cached_page_is_answered_early_with_the_same_bytes_and_headers(
    client, routines, view_refuses, settings, language, url
):
    if language != "nb":
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    through_the_view = client.get(url)
    assert through_the_view.status_code == 200
    view_refuses()
    with CaptureQueriesContext(connection) as captured:
        early = client.get(url)
    assert len(_statements(captured)) == 1  # the key: what is published now
    assert early.status_code == 200 and early.content == through_the_view.content
    request_id = "X-Request-ID"  # one for every request
    assert {**early.headers, request_id: ""} == {**through_the_view.headers, request_id: ""}
    assert early["Content-Language"] == language and "Content-Security-Policy" in early.headers
    assert early.cookies == {}


def test_only_anonymous_readers_without_a_session_are_answered_early(client, client_for, routines, view_refuses):
    url = reverse("routines:detail", args=[VIOLENCE])
    client.get(url)
    view_refuses()
    for visitor, query in [(client_for("editor"), ""), (client, "?q=x")]:
        with pytest.raises(AssertionError, match="the view ran"):
            visitor.get(url + query)


def test_a_publish_goes_through_the_view_again(client, routines, users, view_refuses):
    url = reverse("routines:detail", args=[VIOLENCE])
    client.get(url)
    routine = Routine.objects.get(slug=VIOLENCE)
    draft = routine_draft_start(routine=routine, user=users["editor"])
    routine_version_submit(version=draft, user=users["editor"])
    routine_version_approve(version=draft, user=users["manager"], numbers_confirmed=True)
    view_refuses()
    with pytest.raises(AssertionError, match="the view ran"):
        client.get(url)


# --- The key memo (core.public_pages, PUBLIC_PAGE_KEY_SECONDS) -------------------------------------------------


class Clock:
    """core.public_pages' clock, moved by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def memo(settings, monkeypatch):
    """The key memo on, as in production (the test settings read the key on every request), on a clock the
    test moves."""
    from core import public_pages

    settings.PUBLIC_PAGE_KEY_SECONDS = 1
    clock = Clock()
    monkeypatch.setattr(public_pages, "monotonic", clock)
    public_pages.forget_keys()
    yield clock
    public_pages.forget_keys()


def test_with_the_memo_a_cached_page_costs_no_query(client, routines, memo, view_refuses):
    url = reverse("routines:detail", args=[VIOLENCE])
    first = client.get(url)
    client.get(url)  # answered early; the key is now known to this process
    view_refuses()
    with CaptureQueriesContext(connection) as captured:
        again = client.get(url)
    assert _statements(captured) == []
    assert again.status_code == 200 and again.content == first.content
    memo.now += 1.5  # past the memo: the key is read again, once
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    assert len(_statements(captured)) == 1


def test_with_the_memo_a_publish_in_this_process_shows_at_once(client, routines, users, memo):
    url = reverse("routines:detail", args=[VIOLENCE])
    client.get(url)
    client.get(url)
    draft = routine_draft_start(routine=Routine.objects.get(slug=VIOLENCE), user=users["editor"])
    RoutineVersion.objects.filter(pk=draft.pk).update(title_nb="Versjon 2 av rutinen")
    draft.refresh_from_db()
    routine_version_submit(version=draft, user=users["editor"])
    routine_version_approve(version=draft, user=users["manager"], numbers_confirmed=True)
    assert "Versjon 2 av rutinen" in client.get(url).content.decode()  # the clock has not moved


def test_with_the_memo_a_change_made_elsewhere_shows_within_the_memo(client, routines, memo):
    url = reverse("routines:detail", args=[VIOLENCE])
    client.get(url)
    assert client.get(url).status_code == 200
    # As another worker would save it: no signal reaches this process.
    Routine.objects.filter(slug=VIOLENCE).update(staff_only=True)
    memo.now += 0.5
    assert client.get(url).status_code == 200, "still the page read half a second ago"
    memo.now += 0.6
    assert client.get(url).status_code == 302, "a second after it was read, the key is read again"


def test_the_memo_keeps_no_key_for_an_address_without_a_page(client, routines, memo):
    from core import public_pages

    for n in range(20):
        assert client.get(reverse("routines:detail", args=[f"made-up-{n}"])).status_code == 404
    assert public_pages._keys == {}
    client.get(reverse("routines:detail", args=[VIOLENCE]))
    assert len(public_pages._keys) == 1
