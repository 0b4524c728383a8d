"""Offline on the phone: the service worker from the site root, the manifest that makes the site installable,
and the list of what the worker keeps (public routines only). The worker itself runs in
tests/browser/test_offline_journeys.py."""

import json

from django.contrib.staticfiles import finders
from django.urls import reverse

from routines.demo_content import ROUTINES
from routines.models import Routine

VIOLENCE = "vold-og-trusler"


def test_the_service_worker_is_served_from_the_root(client, db):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    assert b"X-Offline-Copy" in response.content
    policy = response["Content-Security-Policy"]
    assert "worker-src 'self'" in policy and "manifest-src 'self'" in policy


def test_the_manifest_makes_the_site_installable(client, db):
    response = client.get(reverse("web_manifest"))
    assert response["Content-Type"].startswith("application/manifest+json")
    manifest = json.loads(response.content)
    assert manifest["name"] == "Krisestøtte" and manifest["display"] == "standalone"
    assert manifest["start_url"] == reverse("routines:list") and manifest["scope"] == "/"
    assert manifest["theme_color"].startswith("#")
    sizes = {icon["sizes"] for icon in manifest["icons"] if icon["type"] == "image/png"}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        path = finders.find(icon["src"].removeprefix("/static/"))
        assert path, icon["src"]
        with open(path, "rb") as handle:
            assert handle.read(8) == b"\x89PNG\r\n\x1a\n"


def test_every_page_links_the_manifest_and_the_worker_script(client, routines):
    html = client.get(reverse("routines:detail", args=[VIOLENCE])).content.decode()
    assert f'<link rel="manifest" href="{reverse("web_manifest")}">' in html
    assert "js/offline.js" in html and "data-offline-stamp" in html


def test_the_offline_list_names_the_public_routines_only(client_for, routines):
    Routine.objects.filter(slug=VIOLENCE).update(staff_only=True)
    for persona in ["anonymous", "editor"]:
        listing = client_for(persona).get(reverse("routines:offline")).json()
        expected = {reverse("routines:detail", args=[r["slug"]]) for r in ROUTINES if r["slug"] != VIOLENCE}
        assert expected <= set(listing["pages"])
        assert reverse("routines:detail", args=[VIOLENCE]) not in listing["pages"]
        assert reverse("routines:list") in listing["pages"]
        assert reverse("routines:session", args=["avvergingsplikten-fasilitatorveileder"]) in listing["pages"]
        assert not any("editor" in page or page.endswith(".pdf") for page in listing["pages"])
        assert all(asset.startswith("/static/") for asset in listing["assets"])
