"""What accounts tells the audit log: managing the people of a unit, invitations and password resets.
Registered from ``AccountsConfig.ready()``. The target of each is the person; the role is not in the code."""

from django.utils.translation import gettext_lazy as _

from core.auditing import ACTIONS, Action, Kind

ACTION_CODES: dict[str, Action] = {
    "member.role_granted": Action(_("Gave a person a role in a unit"), Kind.CHANGED),
    "member.role_removed": Action(_("Removed a person's role in a unit"), Kind.CHANGED),
    "member.invited": Action(_("Sent a person an invitation"), Kind.CHANGED),
    "member.deactivated": Action(_("Deactivated a person"), Kind.CHANGED),
    "auth.invitation_accepted": Action(_("Set a first password from an invitation"), Kind.AUTH),
    "auth.password_reset_requested": Action(_("Asked for a password reset link"), Kind.AUTH),
    "auth.password_reset": Action(_("Set a new password from a reset link"), Kind.AUTH),
}


def register() -> None:
    ACTIONS.register_all(ACTION_CODES)
