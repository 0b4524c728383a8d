"""Contacts' first-run content (``core.bootstrap``): the shipped statistics registration form
(contacts/trees/statistics-registration.{nb,en}.json), published in bokmål and English unless its latest
published version already holds the same document. The same loader as the demo's."""

from contacts.registration import REGISTRATION_TREE, ensure_registration_tree
from core.bootstrap import BOOTSTRAP_STEPS, BootstrapStep


def load_registration_form(*, unit_slug: str | None = None) -> str:
    versions = ensure_registration_tree(editor=None)
    numbers = ", ".join(f"{language} version {version.number}" for language, version in sorted(versions.items()))
    return f"question tree {REGISTRATION_TREE} published ({numbers})"


def register() -> None:
    BOOTSTRAP_STEPS.register(BootstrapStep(order=35, name="contacts", run=load_registration_form))
