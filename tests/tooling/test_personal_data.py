"""Every model with personal data is covered by a retention purger its own app registers.

"Personal data" here is a free-text field (``TextField``, or a ``JSONField``, which holds answers and notes)
or a link to a person (a foreign key, one-to-one or many-to-many to the user model). A model of ours that has
one and that no purger in ``core.retention.PURGERS`` lists in ``covers`` fails this test, unless it is in
``NOT_PURGED`` below with the reason.
"""

from django.apps import apps
from django.conf import settings
from django.db import models

from core.retention import PURGERS

OUR_APPS = {"core", "accounts", "audit", "usersessions", "twofactor", "routines", "printing", "intake"}
OUR_APPS |= {"safety_plans", "incidents", "exercises", "sso", "contacts", "annual_report"}

# Models with a free-text field or a link to a person that no purger removes, and why that is right.
NOT_PURGED = {
    # The people who work here and their roles: an account is ended by an administrator (deactivation), not by
    # a period. Guardian's grants on units are the units' role groups.
    "accounts.membership": "who works where: lives as long as the role",
    "accounts.unituserobjectpermission": "grants on units to staff, with the membership",
    # Single sign-on: the provider's subject for a person who works here, and the marker of its second factor;
    # they go with the account (CASCADE), like the account's own name and e-mail address.
    "sso.identity": "a staff account's link to its sign-in provider: lives as long as the account",
    "sso.providerdevice": "a staff account's sign-in provider as a two-factor device: with the account",
    # A person's own settings (language, daily reminder): deleted with her account.
    "accounts.preferences": "a person's own settings: lives as long as the account",
    # Who was sent the daily reminder on which day, no content: send_reminders deletes rows after 30 days.
    "accounts.reminderdigest": "(person, day) of a reminder; send_reminders deletes them after 30 days",
    # The audit log is kept on purpose, holding no content: docs/security.md ("The audit log") has the reasoning.
    "audit.auditevent": "the audit log: bare events, kept (docs/security.md)",
    # Sessions expire by themselves and are deleted by `manage.py clearsessions` (daily, docs/deployment.md).
    "accounts.usersession": "sessions: cleared daily by clearsessions",
    "usersessions.usersession": "sessions: cleared daily by clearsessions",
    # Published procedures and their authors, not people who made contact (routines/retention.py).
    "routines.routine": "a procedure; its editor is named as author",
    "routines.routineversion": "a procedure's text; its author and approver are staff",
    "printing.printorder": "the print shop's work order, ordered by staff",
    "printing.printorderevent": "a print order's history, done by staff",
    # Question trees and the checklist: the editors' content, not about anyone.
    "intake.treeversion": "editors' content (the questionnaire), uploaded by staff",
    "intake.valueset": "terminology for question trees (FHIR ValueSets), imported by staff",
    "intake.codesystem": "terminology for question trees (FHIR CodeSystems), imported by staff",
    "safety_plans.checklistitem": "editors' content (the checklist's wording)",
    # A unit's settings: whether it takes anonymous reports, and the words of its risk matrix.
    "incidents.incidentunitsettings": "a unit's settings (risk matrix words), not about anyone",
    "intake.unitintaketree": "a unit's setting (the trees its counsellors start), chosen by staff",
}


def _personal_fields(model: type[models.Model]) -> list[str]:
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    found = []
    for field in model._meta.get_fields(include_hidden=True):
        if field.auto_created and not field.concrete:
            continue  # the other end of a relation
        if isinstance(field, models.TextField | models.JSONField) or (
            field.is_relation and field.related_model is user_model
        ):
            found.append(field.name)
    return found


def models_with_personal_data() -> dict[str, list[str]]:
    found = {}
    for config in apps.get_app_configs():
        if config.label not in OUR_APPS:
            continue
        for model in config.get_models(include_auto_created=True):
            fields = _personal_fields(model)
            if fields:
                found[model._meta.label_lower] = fields
    return found


def test_every_model_with_personal_data_is_purged_or_explained():
    covered = {model._meta.label_lower for purger in PURGERS for model in purger.covers}
    uncovered = {
        label: fields
        for label, fields in models_with_personal_data().items()
        if label not in covered and label not in NOT_PURGED
    }
    assert uncovered == {}, "register a purger that covers these in the app's retention.py, or explain them"


def test_the_finder_sees_the_records_about_people():
    """The test above can fail: the models it must find are found, with the fields that make them personal."""
    found = models_with_personal_data()
    assert {"note_text", "answers", "owner"} <= set(found["intake.intake"])
    assert {"what_happened", "reporter"} <= set(found["incidents.incident"])
    # The person's own words for an item on the discreet printout (docs/safety-plan-printout.md).
    assert {"note", "card_title"} <= set(found["safety_plans.planitem"])
    assert "intake.intakestatistic" not in found  # anonymous counts: no free text, nobody linked


def test_the_allow_list_names_no_covered_model():
    """A model a purger covers needs no excuse; a stale entry would hide a change."""
    covered = {model._meta.label_lower for purger in PURGERS for model in purger.covers}
    assert sorted(covered & NOT_PURGED.keys()) == []
