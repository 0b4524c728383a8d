"""First run: what a fresh installation needs besides people and units, loaded by ``manage.py bootstrap``.

Each feature that ships content registers a ``BootstrapStep`` from its ``AppConfig.ready()`` (in its own
``bootstrap.py``): the question trees it publishes, the safety-plan checklist, the seed routines offered to
editors as drafts. Core runs them in order and never imports them. Every step is idempotent: run again, it adds
only what is missing and never touches what editors have changed. No demo people or records are made.
"""

from collections.abc import Callable
from dataclasses import dataclass

from core.registry import Registry


class BootstrapError(Exception):
    """A step cannot run as asked (an unknown unit); the message says what to do."""


@dataclass(frozen=True)
class BootstrapStep:
    """``run(unit_slug=...)`` loads what is missing and returns one line saying what it did (counts and names of
    shipped content only). ``unit_slug`` is the unit that owns shipped content needing an owner (the routines),
    or None."""

    order: int
    name: str
    run: Callable[..., str]


BOOTSTRAP_STEPS: Registry[BootstrapStep] = Registry("bootstrap steps")


def bootstrap(*, unit_slug: str | None = None) -> list[str]:
    """Run every step, lowest ``order`` first; their lines, each prefixed with the step's name."""
    steps = sorted(BOOTSTRAP_STEPS, key=lambda step: step.order)
    return [f"{step.name}: {step.run(unit_slug=unit_slug)}" for step in steps]
