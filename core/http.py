"""Typing for views behind ``login_required``: there ``request.user`` is a real user, never AnonymousUser."""

from django.contrib.auth.models import User
from django.http import HttpRequest


class AuthenticatedHttpRequest(HttpRequest):
    """Annotate a ``login_required`` view's request with this, as django-stubs advises, so the user can be
    handed to services that take a ``User``. Only a type: Django still passes its own request object."""

    user: User
