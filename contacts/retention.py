"""What the retention run does to contacts and registrations (registered with ``core.retention`` from
``ContactsConfig.ready()``).

They are part of the case: they go when their intake goes (``intake_days`` after the case's last activity),
and a contact recorded on a case keeps it in use like any work on it (``intake.retention.CASE_LINKS``): a stay
still going on, or a phone call last week, keeps the intake and its note. Before they are deleted, a
registered case's contacts not yet in the statistics are counted (the statistics guard, as intake's), so the
annual report loses nothing to retention.
"""

from datetime import datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from audit.services import audit_log
from contacts.models import CaseContact, Registration, StayChild
from core.retention import PURGERS, Cutoffs, Purger
from intake.models import Intake
from intake.retention import CASE_LINKS, CaseLink, expired_intakes

PERIODS = ("intake_days",)


def contact_own_activity(since: datetime) -> Q:
    return (
        Q(recorded_at__gte=since)
        | Q(updated_at__gte=since)
        | Q(started_on__gte=timezone.localdate(since))
        | Q(ended_on__gte=timezone.localdate(since))
        # A stay with no departure is going on: the person lives at the centre now.
        | Q(kind=CaseContact.Kind.STAY, ended_on__isnull=True)
    )


def contacts_in_use(c: Cutoffs) -> QuerySet[CaseContact]:
    """Contacts whose own activity keeps their intake."""
    return CaseContact.objects.filter(contact_own_activity(c.before("intake_days")))


def _contact_ends(intake: Intake, days: dict[str, int]) -> list[datetime]:
    """When each contact on ``intake`` stops keeping it (an ongoing stay: not before another period)."""
    now = timezone.now()
    ends = []
    for contact in CaseContact.objects.filter(intake=intake):
        if contact.is_stay and contact.ended_on is None:
            last = now
        else:
            day = contact.ended_on or contact.started_on
            last = max(contact.updated_at, timezone.make_aware(datetime.combine(day, datetime.max.time())))
        ends.append(last + timedelta(days=days["intake_days"]))
    return ends


def expired_contacts(c: Cutoffs) -> QuerySet[CaseContact]:
    return CaseContact.objects.filter(intake__in=expired_intakes(c))


def expired_registrations(c: Cutoffs) -> QuerySet[Registration]:
    return Registration.objects.filter(intake__in=expired_intakes(c))


def purge_contacts(rows: list[CaseContact], c: Cutoffs) -> int:
    """Count what a registered case has not counted yet, then delete; one audit event each."""
    from contacts.counting import count_contact

    written = 0
    for row in rows:
        if not row.counted:
            written += int(count_contact(row, final=True))
        audit_log(actor=None, action="retention.purged", target=row, unit=row.unit)
    CaseContact.objects.filter(pk__in=[row.pk for row in rows]).delete()  # cascades to the children
    return written


def purge_registrations(rows: list[Registration], c: Cutoffs) -> int:
    for row in rows:
        audit_log(actor=None, action="retention.purged", target=row, unit=row.unit)
    Registration.objects.filter(pk__in=[row.pk for row in rows]).delete()
    return 0


def missing_contact_statistics(queryset: QuerySet[CaseContact]) -> int:
    return queryset.filter(counted=False, intake__registration__isnull=False).count()


def register() -> None:
    CASE_LINKS.register(CaseLink(in_use=contacts_in_use, ends=_contact_ends))
    PURGERS.register(
        Purger(
            kind="case_contacts",
            verb="delete",
            order=17,
            periods=PERIODS,
            expired=expired_contacts,
            purge=purge_contacts,
            covers=(CaseContact, StayChild),
            related=("unit", "intake"),
            missing_statistics=missing_contact_statistics,
        )
    )
    PURGERS.register(
        Purger(
            kind="registrations",
            verb="delete",
            order=18,
            periods=PERIODS,
            expired=expired_registrations,
            purge=purge_registrations,
            covers=(Registration,),
            related=("unit",),
        )
    )
