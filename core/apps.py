from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Building blocks every app uses (access, registries, PDFs, CSV, phone numbers). No models, and no import of
    any other app of ours: the features register with core from their own ``AppConfig.ready()``."""

    name = "core"
