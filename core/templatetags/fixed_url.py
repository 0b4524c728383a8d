"""``{% fixed_url 'name' %}``: ``{% url 'name' %}`` for an address without arguments, reversed once per process.

The base template names a dozen such addresses on every page (the menu, the language switch, the idle
dialog), and Django's ``reverse`` walks the URL configuration on each call: about 0.05-0.1 ms each, so half a
millisecond of every page, where the framework floor itself is 2 ms (docs/performance.md). An address
without arguments depends only on the URL configuration and the script prefix, which are the cache's key (no
address is language-prefixed here: config/urls.py has no ``i18n_patterns``; with them the language would have
to join the key)."""

from functools import lru_cache
from typing import Any

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

register = template.Library()


@lru_cache(maxsize=256)
def _reverse(name: str, urlconf: Any, prefix: str) -> str:
    return reverse(name, urlconf=urlconf)


@register.simple_tag
def fixed_url(name: str) -> str:
    return _reverse(name, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
