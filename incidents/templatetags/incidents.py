from django import template
from django.urls import reverse
from django.utils.http import urlencode

from incidents.routing import types_for_category

register = template.Library()


@register.simple_tag
def incident_report_links(category: str) -> list[dict]:
    """[{url, label}] for the incident types that fit a routine category."""
    base = reverse("incidents:new")
    return [{"url": f"{base}?{urlencode({'type': t.value})}", "label": t.label} for t in types_for_category(category)]
