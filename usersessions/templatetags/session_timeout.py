"""``{% session_timeout_attributes %}`` on <body>: what static/js/idle.js needs to warn before the idle
timeout. Nothing for the logged-out (and nothing on pages rendered without a request, such as the 500 page)."""

from django import template
from django.conf import settings
from django.utils.html import format_html

from usersessions.selectors import absolute_seconds_left

register = template.Library()


@register.simple_tag(takes_context=True)
def session_timeout_attributes(context) -> str:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    # This response renews the idle timeout (SESSION_SAVE_EVERY_REQUEST): a full SESSION_COOKIE_AGE is left,
    # unless the absolute limit comes first.
    return format_html(
        ' data-session-age="{}" data-session-absolute="{}" data-session-warning="{}"',
        settings.SESSION_COOKIE_AGE,
        absolute_seconds_left(request.session),
        settings.SESSION_IDLE_WARNING_SECONDS,
    )
