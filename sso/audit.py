"""What single sign-on tells the audit log. Like the other login events, these name the person (as the actor)
and nothing else: no subject, e-mail address or claim is written. A refusal of someone with no account here
has no actor."""

from django.utils.translation import gettext_lazy as _

from core.auditing import ACTIONS, Action, Kind

ACTION_CODES: dict[str, Action] = {
    "auth.sso_login": Action(_("Logged in through single sign-on"), Kind.AUTH),
    "auth.sso_second_factor": Action(_("Single sign-on's two-factor login counted as the second step"), Kind.AUTH),
    "auth.sso_linked": Action(_("Single sign-on was linked to an account by e-mail address"), Kind.AUTH),
    "auth.sso_account_created": Action(_("An account with no role was made at a first single sign-on"), Kind.AUTH),
    "auth.sso_refused": Action(_("Was refused at single sign-on"), Kind.AUTH),
}


def register() -> None:
    ACTIONS.register_all(ACTION_CODES)
