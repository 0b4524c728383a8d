"""One-time links: the invitation to set a first password, and (Django's own) the password reset.

Both are Django's token generator: a token is tied to the person's password hash and last login, so it stops
working once used (the password changes) and after its time (``INVITATION_TIMEOUT``, ``PASSWORD_RESET_TIMEOUT``).
The invitation has a salt of its own, so an invitation token is no reset token and the other way round.
"""

from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "accounts.tokens.InvitationTokenGenerator"

    def check_token(self, user: Any, token: str | None) -> bool:
        """As Django's, with ``INVITATION_TIMEOUT`` for the age limit."""
        if not (user and token):
            return False
        try:
            ts_b36, _hash = token.split("-")
            ts = base36_to_int(ts_b36)
        except ValueError:
            return False
        for secret in [self.secret, *self.secret_fallbacks]:
            if constant_time_compare(self._make_token_with_timestamp(user, ts, secret), token):
                break
        else:
            return False
        return bool((self._num_seconds(self._now()) - ts) <= settings.INVITATION_TIMEOUT)


invitation_token_generator = InvitationTokenGenerator()
