"""What other apps add to intake's pages, without intake importing them.

Safety plans depend on intake (a plan may be started from an intake); intake must not depend back. So the
review page does not ask safety plans for "the plans started from this intake": each app that keeps records
started from an intake registers a ``RelatedRecords`` provider here from its ``AppConfig.ready()``, and the
page shows one section per provider that has something to show. The model is ``core.registry``'s: the page
never imports what it lists.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

from core.registry import Registry
from intake.models import Intake


@dataclass(frozen=True)
class RelatedLink:
    """A link on the intake's page: to a related record, or to start one."""

    label: str
    url: str


@dataclass(frozen=True)
class RelatedRecords:
    """One kind of record started from an intake.

    ``links(user, intake)`` lists the records of this kind that ``user`` may see (already scoped by that
    app's own access rules); ``start(user, intake)`` is the link to start one, or None when ``user`` may not.
    ``key`` names the section in the page's markup (``<key>-heading``)."""

    key: str
    heading: str | Promise
    links: Callable[[Any, Intake], list[RelatedLink]]
    start: Callable[[Any, Intake], RelatedLink | None]


@dataclass(frozen=True)
class RelatedSection:
    """What the page shows for one provider."""

    key: str
    heading: str | Promise
    links: list[RelatedLink]
    start: RelatedLink | None


related_records: Registry[RelatedRecords] = Registry("intake related records")


def related_sections(user: Any, intake: Intake) -> list[RelatedSection]:
    """One section per registered provider with a record to list or a record to start, in registration
    order."""
    sections = []
    for provider in related_records:
        links = provider.links(user, intake)
        start = provider.start(user, intake)
        if links or start is not None:
            sections.append(RelatedSection(key=provider.key, heading=provider.heading, links=links, start=start))
    return sections
