"""The public routine pages paint with their HTML: their styles are inline (allowed by hash in the CSP), no
stylesheet is linked, and every class they use has a rule in those styles."""

import re

import pytest
from django.urls import reverse

from core.inline_css import PUBLIC_STYLESHEETS, csp_hash, inline_css
from routines.demo_content import ROUTINES

GUIDE = "avvergingsplikten-fasilitatorveileder"
# Classes that are hooks for scripts or tests, or name a part of the page, and need no rule of their own.
HOOKS = {
    "agenda",
    "agenda-item",
    "emergency-number--police",
    "emergency-number--ambulance",
    "emergency-number--clinic",
    "incident-report-links",
    "lang-switch",
    "messages",
    "nav-item",
    "offline-stamp",
    "preview-banner",
    "routine",
    "routine-agenda",
    "routine-contacts",
    "routine-list",
    "routine-meta",
    "routine-print",
    "routine-section",
    "routine-steps",
    "search-form",
    "session",
    "session-agenda",
    "session-controls",
    "session-finished",
    "session-position",
    "session-step",
    "site-bar",
}


def _urls() -> list[str]:
    return [
        reverse("routines:list"),
        *(reverse("routines:detail", args=[data["slug"]]) for data in ROUTINES),
        reverse("routines:session", args=[GUIDE]),
    ]


@pytest.mark.parametrize("persona", ["anonymous", "editor"])
def test_public_pages_inline_their_styles_and_link_no_stylesheet(client_for, routines, persona):
    client = client_for(persona)
    for url in _urls():
        response = client.get(url)
        html = response.content.decode()
        assert 'rel="stylesheet"' not in html, url
        styles = re.findall(r"<style>(.*?)</style>", html, flags=re.DOTALL)
        assert styles == [inline_css(name) for name in PUBLIC_STYLESHEETS], url
        policy = response["Content-Security-Policy"]
        style_src = next(d for d in policy.split(";") if d.strip().startswith("style-src"))
        for text in styles:
            assert csp_hash(text) in style_src, url
        assert "'unsafe-inline'" not in policy


def test_other_pages_keep_bootstrap(client_for, db, demo):
    html = client_for("counsellor").get(reverse("home")).content.decode()
    assert "bootstrap.min.css" in html and "<style>" not in html


@pytest.mark.parametrize("persona", ["anonymous", "editor"])
def test_every_class_on_the_public_pages_has_a_rule(client_for, routines, persona):
    css = " ".join(inline_css(name) for name in PUBLIC_STYLESHEETS)
    client = client_for(persona)
    used: set[str] = set()
    for url in _urls():
        html = client.get(url).content.decode()
        for attribute in re.findall(r'class="([^"]*)"', html):
            used.update(attribute.split())
    category_classes = {c for c in used if c.startswith("routine--")}
    missing = sorted(c for c in used - HOOKS - category_classes if f".{c}" not in css)
    assert missing == []


@pytest.mark.parametrize("persona", ["anonymous", "editor"])
def test_public_pages_load_no_script_before_their_content(client_for, routines, persona):
    """Nothing the browser must fetch or run stands between the HTML and its first paint: the public pages'
    scripts are deferred and come last, after the content, so the parser reaches the emergency bar and the
    routine before it meets any script (issue 22, the offline repeat visit on a throttled phone)."""
    client = client_for(persona)
    for url in _urls():
        html = client.get(url).content.decode()
        head, _, body = html.partition("</head>")
        assert "<script" not in head, url
        scripts = re.findall(r"<script[^>]*>", body)
        assert scripts, url
        assert all(" defer" in tag for tag in scripts), url
        assert body.index("<script") > body.index("</main>"), url
