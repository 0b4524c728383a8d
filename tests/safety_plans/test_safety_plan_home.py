"""The home page's safety-plan cards: the plans (with how many are due for review) and the checklist editor."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from accounts.demo import CENTRE_A
from safety_plans.home import safety_plan_cards
from safety_plans.models import SafetyPlan
from safety_plans.services import safety_plan_create

PLANS_URL = "/safety-plans/"
CHECKLIST_URL = "/safety-plans/checklist/"


def home(client_for, persona) -> str:
    return client_for(persona).get(reverse("home")).content.decode()


@pytest.mark.parametrize(
    ("persona", "plans", "checklist"),
    [
        ("counsellor", True, False),
        ("counsellor_other", True, False),
        ("manager", True, False),
        ("staff", False, False),
        ("printshop", False, False),
        ("editor", False, True),
        ("admin", False, True),  # a superuser edits the checklist, but is no counsellor
    ],
)
def test_who_sees_which_card(client_for, persona, plans, checklist):
    content = home(client_for, persona)
    assert (f'href="{PLANS_URL}"' in content) is plans
    assert ("Sikkerhetsplaner" in content) is plans
    assert (f'href="{CHECKLIST_URL}"' in content) is checklist
    assert ("Sjekkliste for sikkerhetsplaner" in content) is checklist


def test_the_card_says_how_many_plans_are_due(client_for, users, units, safety_plan_a):
    content = home(client_for, "counsellor")
    assert "Lag og gå gjennom sikkerhetsplaner" in content
    assert "skal gjennomgås" not in content
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    SafetyPlan.objects.filter(pk=safety_plan_a.pk).update(next_review_on=yesterday)
    assert "1 plan skal gjennomgås." in home(client_for, "counsellor")
    other = safety_plan_create(user=users["counsellor"], unit=units[CENTRE_A], label="Plan to")
    SafetyPlan.objects.filter(pk=other.pk).update(next_review_on=timezone.localdate())
    later = safety_plan_create(user=users["counsellor"], unit=units[CENTRE_A], label="Plan tre")
    SafetyPlan.objects.filter(pk=later.pk).update(next_review_on=timezone.localdate() + datetime.timedelta(days=1))
    assert "2 planer skal gjennomgås." in home(client_for, "counsellor")
    # Not hers to review: a colleague and the read-only manager see no count.
    assert "skal gjennomgås" not in home(client_for, "counsellor2")
    assert "skal gjennomgås" not in home(client_for, "manager")


def test_the_cards_take_few_queries(users, safety_plan_a, django_assert_max_num_queries):
    user = get_user_model().objects.get(pk=users["counsellor"].pk)  # cold permission cache
    with django_assert_max_num_queries(4):
        cards = safety_plan_cards(user)
    assert [str(card.title) for card in cards] == ["Sikkerhetsplaner"]
