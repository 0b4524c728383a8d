"""What each audit action code means to a person reading the log: a translated label and a kind.

The codes live in ``core.auditing.ACTIONS``, filled by each app from its ``AppConfig.ready()`` (a feature's
own ``audit.py``). This module registers the codes of the layers below the features (logging in and out,
sessions, two-factor login, retention, refusals, units) and of the log itself, and reads the catalogue for
the log's pages. Every code passed to ``audit.services.audit_log`` has an entry (tests/audit/test_audit_catalogue.py
collects the codes from the source and fails on a missing one). The kind groups codes for the log's filter and
says which events are *reads* for the periodic review (``READ_KINDS``).
"""

from django.utils.translation import gettext_lazy as _

from accounts.models import Unit
from core.auditing import ACTIONS, READ_KINDS, RECORD_TYPES, Action, Kind, RecordType

__all__ = ["ACTIONS", "READ_KINDS", "Action", "Kind", "codes_of_kind", "describe", "register"]

# Codes written below the feature apps. (The two-factor and session codes go to their own apps when those
# are split out of accounts.)
OWN_ACTIONS: dict[str, Action] = {
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
    # Retention (each app's retention.py; no actor: the daily purge)
    "retention.purged": Action(_("Deleted at the end of its retention period"), Kind.CHANGED),
    "retention.anonymised": Action(_("Anonymised at the end of its retention period"), Kind.CHANGED),
    # Access refused to a record (audit.middleware)
    "record.access_refused": Action(_("Was refused access to a record"), Kind.REFUSED),
    # Units
    "unit.viewed": Action(_("Opened a unit page"), Kind.VIEWED),
    # The audit log itself
    "audit.viewed": Action(_("Opened the access log"), Kind.VIEWED),
    "audit.exported": Action(_("Downloaded the access log"), Kind.EXPORTED),
    "audit.review_viewed": Action(_("Opened the access review"), Kind.VIEWED),
    "audit.report_made": Action(_("Made the access review report"), Kind.EXPORTED),
}


def register() -> None:
    """Called once, from ``AuditConfig.ready()``."""
    ACTIONS.register_all(OWN_ACTIONS)
    RECORD_TYPES.register(RecordType(model="accounts.unit", label=Unit._meta.verbose_name, order=90))


def describe(code: str) -> Action:
    """The label and kind of ``code``; a code missing from the catalogue (a test prevents that) shows as itself."""
    return ACTIONS.get(code) or Action(code, Kind.OTHER)


def codes_of_kind(kind: str) -> list[str]:
    return [code for code, action in ACTIONS.items() if action.kind == kind]


def read_codes() -> list[str]:
    """The codes of the kinds that read a record's content (what the periodic review examines)."""
    return [code for code, action in ACTIONS.items() if action.kind in READ_KINDS]
