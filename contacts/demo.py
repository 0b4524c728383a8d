"""A demo case with contacts for `counsellor` at centre A: a finalized intake with a stay (a child along) and
a phone conversation, registered with consent. Fixed id, so seeding twice changes nothing."""

import datetime
import uuid

from django.db import transaction
from django.utils import timezone

from contacts.models import CaseContact, Registration
from contacts.registration import ensure_registration_tree
from contacts.services import contact_record, registration_record
from intake.models import Intake, TreeVersion
from intake.services import intake_create, intake_finalize

DEMO_CASE = "d0000000-0000-4000-8000-0000000000c1"
FIRST = "https://krisestotte.no/fhir/CodeSystem/first-contact"


@transaction.atomic
def seed_demo_contacts(*, counsellor, editor, unit, tree_version: TreeVersion) -> Intake:
    versions = ensure_registration_tree(editor=editor)
    intake = Intake.objects.filter(pk=DEMO_CASE).first()
    if intake is None:
        intake = intake_create(user=counsellor, unit=unit, tree_version=tree_version, pk=uuid.UUID(DEMO_CASE))
        intake.answers = {
            "contact-channel": [{"system": FIRST, "code": "walk-in"}],
            "violence-kinds": [{"system": FIRST, "code": "psychological"}, {"system": FIRST, "code": "control"}],
            "perpetrator-relation": [{"system": FIRST, "code": "partner"}],
        }
        intake.save(update_fields=["answers"])
        intake = intake_finalize(
            intake=intake, user=counsellor, offered_help="shelter", offered_reason="", information={}
        )
    if not CaseContact.objects.filter(intake=intake).exists():
        today = timezone.localdate()
        contact_record(
            intake=intake,
            user=counsellor,
            kind=CaseContact.Kind.STAY,
            started_on=today - datetime.timedelta(days=20),
            ended_on=today - datetime.timedelta(days=3),
            went_to=CaseContact.WentTo.FAMILY_FRIENDS,
            children_ages=[6],
        )
        contact_record(intake=intake, user=counsellor, kind=CaseContact.Kind.PHONE, started_on=today)
    if not Registration.objects.filter(intake=intake).exists():
        registration_record(
            intake=intake,
            user=counsellor,
            consent=Registration.Consent.GIVEN,
            consent_how=Registration.ConsentHow.WRITTEN,
            tree_version=versions["nb"],
            answers={
                "gender": [{"code": "woman", "display": "Kvinne"}],
                "age-group": [{"code": "30-39", "display": "30–39 år"}],
                "violence-kinds": [{"system": FIRST, "code": "psychological"}, {"system": FIRST, "code": "control"}],
            },
            birth_year=1991,
            initials="DM",
            gender="woman",
        )
    return intake
