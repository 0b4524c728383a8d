"""``{% fixed_url %}`` (core/templatetags/fixed_url.py): the address ``{% url %}`` gives, reversed once."""

from django.template import Context, Template
from django.test import override_settings
from django.urls import clear_script_prefix, reverse, set_script_prefix


def _render(text: str) -> str:
    return Template("{% load fixed_url %}" + text).render(Context())


def test_the_same_address_as_url():
    for name in ("home", "login", "logout", "set_language", "usersessions:status", "incidents:list"):
        assert _render(f"{{% fixed_url '{name}' %}}") == reverse(name)


def test_the_script_prefix_and_the_url_configuration_are_part_of_the_key():
    before = _render("{% fixed_url 'login' %}")
    set_script_prefix("/krise/")
    try:
        assert _render("{% fixed_url 'login' %}") == "/krise/" + before.lstrip("/")
    finally:
        clear_script_prefix()
    assert _render("{% fixed_url 'login' %}") == before
    with override_settings(ROOT_URLCONF="benchmarks.urls"):
        assert _render("{% fixed_url 'bench_floor' %}") == "/bench-floor/"
