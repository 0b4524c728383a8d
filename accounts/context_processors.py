from django.conf import settings
from django.http import HttpRequest


def sign_in(request: HttpRequest) -> dict[str, bool]:
    """Whether the deployment has local passwords (``DJANGO_PASSWORD_LOGIN``): the menu offers changing one only then."""
    return {"password_login": settings.PASSWORD_LOGIN}
