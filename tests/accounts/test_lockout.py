"""The login lockout behind reverse proxies, and the per-account limit a stranger cannot turn against the owner."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.clientip import client_ip
from tests.conftest import PASSWORD

PROXY = "10.0.0.2"  # the reverse proxy's address, which every request arrives from
ATTACKER = "203.0.113.66"
OWNER = "198.51.100.7"


def through_proxies(client, username, password, client_address, *, proxies=1, spoofed=""):
    """A login POST as it reaches the app behind ``proxies`` proxies: each appended the address that connected
    to it. ``spoofed`` is what the client itself wrote into X-Forwarded-For."""
    chain = [client_address] + [f"10.0.1.{n}" for n in range(1, proxies)]
    header = ", ".join(([spoofed] if spoofed else []) + chain)
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=header
    )


@pytest.mark.parametrize("proxies", [1, 2])
def test_the_lockout_counts_the_client_behind_the_proxies(users, settings, proxies):
    settings.PROXY_COUNT = proxies
    attacker = Client()
    for attempt in range(5):
        # Whatever the attacker writes into the header itself does not change the address that is counted.
        response = through_proxies(attacker, "editor", "wrong", ATTACKER, proxies=proxies, spoofed=f"192.0.2.{attempt}")
    assert response.status_code == 429
    assert through_proxies(attacker, "editor", PASSWORD, ATTACKER, proxies=proxies).status_code == 429
    # The owner, through the same proxies from her own address, is not locked out.
    response = through_proxies(Client(), "editor", PASSWORD, OWNER, proxies=proxies)
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_without_proxies_the_header_is_ignored(rf, settings):
    settings.PROXY_COUNT = 0
    request = rf.get("/", REMOTE_ADDR=OWNER, HTTP_X_FORWARDED_FOR=ATTACKER)
    assert client_ip(request) == OWNER
    settings.PROXY_COUNT = 2
    # Fewer addresses than proxies: not through the proxies, so the connection's own address counts.
    assert client_ip(rf.get("/", REMOTE_ADDR=OWNER, HTTP_X_FORWARDED_FOR=ATTACKER)) == OWNER


def test_guesses_spread_over_many_addresses_stop_strangers_but_not_the_owners_own_browser(users, settings):
    settings.PROXY_COUNT = 1
    settings.USERNAME_FAILURE_LIMIT = 6
    owner = Client()
    assert through_proxies(owner, "editor", PASSWORD, OWNER).status_code == 302  # her usual browser
    owner.post(reverse("logout"))
    for n in range(6):  # two wrong passwords from each of three addresses: under the lockout of each
        through_proxies(Client(), "editor", "wrong", f"203.0.113.{n // 2}")
    # A stranger with the right password, from a fresh address and browser, is refused without a check ...
    stranger = through_proxies(Client(), "editor", PASSWORD, "203.0.113.99")
    assert stranger.status_code == 200
    assert "Too many failed logins" in stranger.content.decode() or "mislykkede" in stranger.content.decode()
    # ... while the owner, at the browser she has logged in from before, gets in.
    response = through_proxies(owner, "editor", PASSWORD, OWNER)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    # Other accounts are not affected.
    assert through_proxies(Client(), "staff", PASSWORD, "203.0.113.99").status_code == 302
