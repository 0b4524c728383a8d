from django.apps import AppConfig


class DemoConfig(AppConfig):
    """``manage.py seed_demo``: the demo units and personas (accounts.demo) and every feature's demo records, for
    trying the app locally (`make run`) and for the benchmarks. It sits at the top and nothing imports it, so no
    cross-cutting app has to import a feature to seed it. No models."""

    name = "demo"
