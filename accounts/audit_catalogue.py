"""What each audit action code means to a person reading the log: a translated label and a kind.

Every code passed to ``accounts.audit.audit_log`` has an entry here (tests/audit/test_audit_catalogue.py collects the
codes from the source and fails on a missing one). The kind groups codes for the log's filter and says which
events are *reads* for the periodic review (``READ_KINDS``).
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Kind(models.TextChoices):
    VIEWED = "viewed", _("Viewed")
    CHANGED = "changed", _("Created or changed")
    PRINTED = "printed", pgettext_lazy("kind of audited action", "Printed")
    EXPORTED = "exported", _("Exported or downloaded")
    SHARED = "shared", _("Shared or unshared")
    AUTH = "auth", _("Logging in and out")
    REFUSED = "refused", _("Access refused")
    OTHER = "other", _("Other")


# The kinds that read a record's content: what the periodic review examines.
READ_KINDS = frozenset({Kind.VIEWED, Kind.PRINTED, Kind.EXPORTED})


@dataclass(frozen=True)
class Action:
    label: str
    kind: str


ACTIONS: dict[str, Action] = {
    # Logging in and out
    "auth.login": Action(_("Logged in"), Kind.AUTH),
    "auth.login_failed": Action(_("Failed to log in"), Kind.AUTH),
    "auth.logout": Action(_("Logged out"), Kind.AUTH),
    "auth.password_changed": Action(_("Changed their password"), Kind.AUTH),
    "auth.sessions_ended": Action(_("Sessions of a person were ended"), Kind.AUTH),
    # Two-factor login (accounts.two_factor)
    "auth.otp_enrolled": Action(_("Registered an authenticator app"), Kind.AUTH),
    "auth.otp_verified": Action(_("Gave a two-factor code"), Kind.AUTH),
    "auth.otp_failed": Action(_("Gave a wrong two-factor code"), Kind.AUTH),
    "auth.otp_recovery_used": Action(_("Logged in with a recovery code"), Kind.AUTH),
    "auth.otp_recovery_regenerated": Action(_("Made new recovery codes"), Kind.AUTH),
    "auth.otp_reset": Action(_("Reset a person's two-factor login"), Kind.AUTH),
    # Retention (accounts.retention; no actor: the daily purge)
    "retention.purged": Action(_("Deleted at the end of its retention period"), Kind.CHANGED),
    "retention.anonymised": Action(_("Anonymised at the end of its retention period"), Kind.CHANGED),
    # Access refused to a record (accounts.audit_middleware)
    "record.access_refused": Action(_("Was refused access to a record"), Kind.REFUSED),
    # Units
    "unit.viewed": Action(_("Opened a unit page"), Kind.VIEWED),
    # The audit log itself
    "audit.viewed": Action(_("Opened the access log"), Kind.VIEWED),
    "audit.exported": Action(_("Downloaded the access log"), Kind.EXPORTED),
    "audit.review_viewed": Action(_("Opened the access review"), Kind.VIEWED),
    "audit.report_made": Action(_("Made the access review report"), Kind.EXPORTED),
    # Routines
    "routine.created": Action(_("Created a routine"), Kind.CHANGED),
    "routine.draft_created": Action(_("Started a routine draft"), Kind.CHANGED),
    "routine.edited": Action(_("Edited a routine draft"), Kind.CHANGED),
    "routine.published": Action(_("Published a routine version"), Kind.CHANGED),
    "routine.previewed": Action(_("Previewed a routine version"), Kind.VIEWED),
    # Print orders
    "print_order.created": Action(_("Ordered a print run"), Kind.CHANGED),
    "print_order.status_changed": Action(_("Changed a print order's status"), Kind.CHANGED),
    "print_order.reissued": Action(_("Reissued a print order"), Kind.CHANGED),
    "print_order.viewed": Action(_("Opened a print order"), Kind.VIEWED),
    "print_order.pdf_downloaded": Action(_("Downloaded a print PDF"), Kind.EXPORTED),
    # Intake question trees
    "intake_tree.version_created": Action(_("Uploaded a question-tree version"), Kind.CHANGED),
    "intake_tree.version_published": Action(_("Published a question-tree version"), Kind.CHANGED),
    "intake_tree.exported": Action(_("Exported a question-tree version"), Kind.EXPORTED),
    # Intakes
    "intake.created": Action(_("Started an intake"), Kind.CHANGED),
    "intake.viewed": Action(_("Opened an intake"), Kind.VIEWED),
    "intake.changed": Action(_("Changed an intake's answers"), Kind.CHANGED),
    "intake.autosaved": Action(_("Intake step saved automatically"), Kind.CHANGED),
    "intake.finalized": Action(_("Finalized an intake"), Kind.CHANGED),
    "intake.note_changed": Action(_("Changed a journal note draft"), Kind.CHANGED),
    "intake.note_finalized": Action(_("Finalized a journal note"), Kind.CHANGED),
    "intake.note_addendum_added": Action(_("Added to a journal note"), Kind.CHANGED),
    "intake.printed": Action(_("Downloaded a journal note PDF"), Kind.PRINTED),
    "intake.shared": Action(_("Shared an intake"), Kind.SHARED),
    "intake.unshared": Action(_("Stopped sharing an intake"), Kind.SHARED),
    "intake.statistics_viewed": Action(_("Opened the intake statistics"), Kind.VIEWED),
    # Safety plans
    "safety_plan.created": Action(_("Started a safety plan"), Kind.CHANGED),
    "safety_plan.viewed": Action(_("Opened a safety plan"), Kind.VIEWED),
    "safety_plan.changed": Action(_("Changed a safety plan"), Kind.CHANGED),
    "safety_plan.reviewed": Action(_("Reviewed a safety plan"), Kind.CHANGED),
    "safety_plan.declined_recorded": Action(_("Recorded that services are not wanted"), Kind.CHANGED),
    "safety_plan.declined_withdrawn": Action(_("Withdrew that services are not wanted"), Kind.CHANGED),
    "safety_plan.shared": Action(_("Shared a safety plan"), Kind.SHARED),
    "safety_plan.unshared": Action(_("Stopped sharing a safety plan"), Kind.SHARED),
    "safety_plan.print_previewed": Action(_("Previewed a safety-plan printout"), Kind.VIEWED),
    "safety_plan.printed": Action(_("Printed a safety plan"), Kind.PRINTED),
    "safety_plan_checklist.created": Action(_("Added a safety-plan checklist item"), Kind.CHANGED),
    "safety_plan_checklist.changed": Action(_("Changed a safety-plan checklist item"), Kind.CHANGED),
    # Incidents
    "incident.reported": Action(_("Reported an incident"), Kind.CHANGED),
    "incident.viewed": Action(_("Opened an incident report"), Kind.VIEWED),
    "incident.list_viewed": Action(_("Opened the incident list"), Kind.VIEWED),
    "incident.overview_viewed": Action(_("Opened the incident overview"), Kind.VIEWED),
    "incident.exported": Action(_("Downloaded incident reports as CSV"), Kind.EXPORTED),
    "incident.changed": Action(_("Changed an incident report"), Kind.CHANGED),
    "incident.assigned": Action(_("Assigned an incident report"), Kind.CHANGED),
    "incident.transitioned": Action(_("Changed an incident report's state"), Kind.CHANGED),
    "incident.closed": Action(_("Closed an incident report"), Kind.CHANGED),
    "incident.action_added": Action(_("Added an action to an incident report"), Kind.CHANGED),
    "incident.action_changed": Action(_("Changed an action on an incident report"), Kind.CHANGED),
    "incident.step_changed": Action(_("Changed a checklist step on an incident report"), Kind.CHANGED),
}


def describe(code: str) -> Action:
    """The label and kind of ``code``; a code missing from the catalogue (a test prevents that) shows as itself."""
    return ACTIONS.get(code) or Action(code, Kind.OTHER)


def codes_of_kind(kind: str) -> list[str]:
    return [code for code, action in ACTIONS.items() if action.kind == kind]
