"""The client's address behind the reverse proxies, for the login lockout (``AXES_CLIENT_IP_CALLABLE``) and the
password reset's limit.

Each of the ``PROXY_COUNT`` proxies in front appends the address that connected to it to ``X-Forwarded-For``, so
the client is the ``PROXY_COUNT``-th address from the right: what a client writes into the header itself stays
to the left and is never read. With no proxy (0) the header is ignored and the connection's address counts.
"""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    remote = str(request.META.get("REMOTE_ADDR") or "")
    count = int(settings.PROXY_COUNT)
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",") if part.strip()]
    if len(forwarded) < count:
        # Fewer addresses than proxies: a request that did not come through all of them. Its own address counts.
        return remote
    return forwarded[-count]
