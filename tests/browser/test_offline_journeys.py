"""Offline on the phone: one visit online, then every public routine opens without a network, with its
numbers as tel: links, the emergency bar and when the phone saved it. Nothing behind a login is kept."""

import re
import time

from playwright.sync_api import expect

from routines.demo_content import ROUTINES
from tests.browser.conftest import assert_accessible, log_in
from tests.conftest import PASSWORD

PAGES = "krisestotte-public-v1"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def _saved_pages(page) -> dict[str, str]:
    """{path: page text} of what the service worker keeps."""
    return page.evaluate(
        """async (name) => {
            const cache = await caches.open(name);
            const saved = {};
            for (const request of await cache.keys()) {
                const path = new URL(request.url).pathname;
                if (!path.startsWith('/static/')) saved[path] = await (await cache.match(request)).text();
            }
            return saved;
        }""",
        PAGES,
    )


def _wait_until_saved(page, paths: list[str]) -> dict[str, str]:
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    deadline = time.monotonic() + 20
    while True:
        saved = _saved_pages(page)
        if set(paths) <= set(saved) or time.monotonic() > deadline:
            return saved
        time.sleep(0.2)


def test_after_one_visit_every_public_routine_opens_offline(browser, live_server, routines):
    context = browser.new_context(base_url=live_server.url, service_workers="allow", **PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    # The one visit online: the list only. The first page of a test can be slow on a loaded machine.
    page.goto("/routines/", timeout=60_000)
    listing = page.evaluate("fetch('/routines/offline.json').then(r => r.json())")
    saved = _wait_until_saved(page, listing["pages"])
    assert set(listing["pages"]) <= set(saved)

    context.set_offline(True)
    for data in ROUTINES:
        page.goto(f"/routines/{data['slug']}/")
        expect(page.get_by_role("heading", level=1)).to_have_text(data["title"]["nb"])
        # The emergency bar and the routine's own numbers, each a tel: link.
        expect(page.locator("header a[href='tel:112']")).to_be_visible()
        for contact in data["contacts"]:
            digits = re.sub(r"\D", "", contact["number"])
            expect(page.locator(f"main a.contact-call[href$='{digits}']").first).to_be_visible()
        stamp = page.locator("[data-offline-stamp]")
        expect(stamp).to_be_visible()
        expect(stamp).to_contain_text(re.compile(r"Versjon \d+, godkjent .+, lagret på denne telefonen"))
        assert_accessible(page)
    guide = next(r for r in ROUTINES if r["kind"] == "facilitator_guide")
    page.goto(f"/routines/{guide['slug']}/session/")
    expect(page.get_by_role("heading", level=1)).to_have_text(guide["title"]["nb"])
    page.goto("/routines/")
    expect(page.get_by_role("link", name=ROUTINES[0]["title"]["nb"])).to_be_visible()
    context.close()


def test_signed_in_pages_are_never_kept(browser, live_server, routines):
    context = browser.new_context(base_url=live_server.url, service_workers="allow", **PHONE)
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto("/routines/", timeout=60_000)  # first as anyone: the worker keeps the public pages
    url = f"/routines/{ROUTINES[0]['slug']}/"
    before = _wait_until_saved(page, [url])
    assert url in before and "Logg inn" in before[url]
    log_in(page, "editor", PASSWORD)
    for _ in range(2):  # the second visit is the one a kept copy would answer
        page.goto(url)
        # Signed in, the page comes from the network, not from the kept anonymous copy.
        expect(page.get_by_role("button", name="Logg ut")).to_be_visible()
    page.goto("/routines/")
    expect(page.get_by_role("button", name="Logg ut")).to_be_visible()
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    time.sleep(2)  # room for the worker's background refresh, which must keep nothing of this
    saved = _saved_pages(page)
    assert set(saved) == set(before)
    for path, text in saved.items():
        assert "Logg ut" not in text and "csrfmiddlewaretoken" not in text, path
    context.close()


def test_offline_repeat_visit_in_a_new_tab_paints_from_the_saved_copy(browser, live_server, routines):
    """The benchmark's offline phase as a check (benchmarks/first_paint.py): after one visit, a new tab with
    no network opens a routine from the worker's saved copy, with nothing that blocks its first paint."""
    context = browser.new_context(base_url=live_server.url, service_workers="allow", **PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    url = f"/routines/{ROUTINES[0]['slug']}/"
    page.goto(url, timeout=60_000)
    assert url in _wait_until_saved(page, [url])

    context.set_offline(True)
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    tab.goto(url)
    expect(tab.get_by_role("heading", level=1)).to_have_text(ROUTINES[0]["title"]["nb"])
    expect(tab.locator("header a[href='tel:112']")).to_be_visible()
    tab.wait_for_function("() => performance.getEntriesByName('first-contentful-paint').length > 0")
    timing = tab.evaluate(
        """() => {
            const nav = performance.getEntriesByType('navigation')[0];
            return {
                fromWorker: nav.workerStart > 0,
                blocking: performance.getEntriesByType('resource')
                    .filter(r => r.renderBlockingStatus === 'blocking').map(r => r.name),
                scriptsInHead: document.head.querySelectorAll('script').length,
            };
        }"""
    )
    assert timing == {"fromWorker": True, "blocking": [], "scriptsInHead": 0}
    # The deferred script ran after the paint: the page says when this phone saved it.
    expect(tab.locator("[data-offline-stamp]")).to_be_visible()
    assert_accessible(tab)
    context.close()
