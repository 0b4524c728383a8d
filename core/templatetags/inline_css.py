from django import template
from django.utils.safestring import SafeString, mark_safe

from core.inline_css import PUBLIC_STYLESHEETS, inline_css

register = template.Library()


@register.simple_tag
def public_styles() -> SafeString:
    """The public pages' stylesheets as ``<style>`` elements (core/inline_css.py); the text is our own files."""
    return mark_safe("".join(f"<style>{inline_css(name)}</style>" for name in PUBLIC_STYLESHEETS))
