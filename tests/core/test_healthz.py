from unittest import mock

from django.db import OperationalError
from django.urls import reverse


def test_healthz_answers_when_the_database_does(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_healthz_fails_when_the_database_does_not(client, db):
    with mock.patch("config.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503


def test_healthz_is_not_redirected_to_https(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(reverse("healthz")).status_code == 200
    assert client.get(reverse("home")).status_code == 301
