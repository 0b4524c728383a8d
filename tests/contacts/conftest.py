"""A finalized intake at centre A with the registration form published: the start of contacts over time."""

import pytest

FIRST = "https://krisestotte.no/fhir/CodeSystem/first-contact"


def finalize(intake, user, answers=None):
    from intake.models import Intake
    from intake.services import intake_finalize

    if answers is not None:
        Intake.objects.filter(pk=intake.pk).update(answers=answers)
        intake.refresh_from_db()
    return intake_finalize(intake=intake, user=user, offered_help="shelter", offered_reason="", information={})


@pytest.fixture
def finalized_a(demo, intake_a, registration_tree):
    answers = {
        "contact-channel": [{"system": FIRST, "code": "police"}],
        "violence-kinds": [{"system": FIRST, "code": "physical"}, {"system": FIRST, "code": "threats"}],
        "perpetrator-relation": [{"system": FIRST, "code": "ex-partner"}],
    }
    return finalize(intake_a, demo["users"]["counsellor"], answers)
