"""Intake's first-run content (``core.bootstrap``): the shipped first-contact question tree
(intake/trees/first-contact.{nb,en}.json), published in bokmål and English unless its latest published
version already holds the same document. The same loader as the demo's (``intake.demo.seed_intake_trees``)."""

from core.bootstrap import BOOTSTRAP_STEPS, BootstrapStep
from intake.demo import FIRST_CONTACT, seed_intake_trees


def load_trees(*, unit_slug: str | None = None) -> str:
    versions = seed_intake_trees(editor=None)
    numbers = ", ".join(f"{language} version {version.number}" for language, version in sorted(versions.items()))
    return f"question tree {FIRST_CONTACT} published ({numbers})"


def register() -> None:
    BOOTSTRAP_STEPS.register(BootstrapStep(order=30, name="intake", run=load_trees))
