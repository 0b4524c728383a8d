"""The owner's sharing screen: colleagues in her unit only; a share can be taken back."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent


@pytest.fixture
def url(intake_a):
    return reverse("intake:sharing", args=[intake_a.pk])


def test_the_owner_shares_with_a_colleague_and_takes_it_back(client_for, intake_a, users, url):
    # client_for logs the one test client in as the persona named, so each step names its persona.
    review = reverse("intake:review", args=[intake_a.pk])
    response = client_for("counsellor").get(url)
    html = response.content.decode()
    assert response.status_code == 200, response.status_code
    assert f'value="{users["counsellor2"].pk}"' in html
    assert f'value="{users["counsellor_other"].pk}"' not in html  # another centre: cannot be chosen
    add = {"action": "add", "colleague": users["counsellor2"].pk}
    assert client_for("counsellor").post(url, add).status_code == 302
    assert client_for("counsellor2").get(review).status_code == 200
    remove = {"action": "remove", "user": users["counsellor2"].pk}
    assert client_for("counsellor").post(url, remove).status_code == 302
    assert client_for("counsellor2").get(review).status_code == 404
    actions = list(AuditEvent.objects.filter(target_id=str(intake_a.pk)).values_list("action", flat=True))
    assert "intake.shared" in actions and "intake.unshared" in actions


def test_a_colleague_outside_the_unit_is_refused_with_a_message(client_for, intake_a, users, url):
    response = client_for("counsellor").post(url, {"action": "add", "colleague": users["counsellor_other"].pk})
    assert response.status_code == 200
    assert "Velg en rådgiver i samme enhet." in response.content.decode()
    assert client_for("counsellor_other").get(reverse("intake:review", args=[intake_a.pk])).status_code == 404


def test_only_the_owner_manages_shares(client_for, intake_a, users, url):
    from intake.services import intake_share

    intake_share(intake=intake_a, by=users["counsellor"], with_user=users["counsellor2"])
    assert client_for("counsellor2").get(url).status_code == 403
    assert client_for("manager").get(url).status_code == 403
    assert client_for("counsellor_other").get(url).status_code == 404
