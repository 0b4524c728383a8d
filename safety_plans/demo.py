"""Demo safety plans for `counsellor` at centre A, made through the services as a counsellor would.

Fixed ids, so seeding twice changes nothing: a plan that exists is left as it is. Labels and text are
invented and neutral; none of it is about a real person.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from safety_plans.models import PlanItem, SafetyPlan
from safety_plans.services import (
    safety_plan_create,
    safety_plan_record_declined,
    safety_plan_review,
    safety_plan_save,
    safety_plan_set_next_review,
)

DEMO_PLAN_FROM_INTAKE = "e0000000-0000-4000-8000-000000000001"  # started from the first demo intake
DEMO_PLAN_DECLINED = "e0000000-0000-4000-8000-000000000002"  # no involvement from services; review overdue


def _items(plan: SafetyPlan, by_code: dict[str, dict]) -> dict[int, dict]:
    """``{code: values}`` as safety_plan_save wants it: by PlanItem pk (codes the plan lacks are skipped)."""
    pks = dict(PlanItem.objects.filter(plan=plan).values_list("item__code", "pk"))
    return {pks[code]: values for code, values in by_code.items() if code in pks}


def _contacts(plan: SafetyPlan, *extra: tuple[str, str]) -> list[dict]:
    return [{"label": c.label, "number": c.number} for c in plan.contacts.all()] + [
        {"label": label, "number": number} for label, number in extra
    ]


def _plan_from_intake(*, counsellor, unit, intake) -> SafetyPlan:
    plan = safety_plan_create(
        user=counsellor, unit=unit, label="Demo A – sommer", intake=intake, pk=DEMO_PLAN_FROM_INTAKE
    )
    in_place = {"status": PlanItem.Status.IN_PLACE}
    plan = safety_plan_save(
        plan=plan,
        user=counsellor,
        revision=plan.revision,
        sections={
            "contact_channel": "Demo: ring mobilen, ikke legg igjen beskjed.",
            "contact_times": "Demo: hverdager mellom 10 og 14.",
            "contact_if_other_answers": "Demo: si at det er feil nummer, og legg på.",
            "protective_measures": "Demo: har fortalt en nabo hva som skjer.",
        },
        items=_items(
            plan,
            {
                "police": in_place,
                "phone-numbers": in_place,
                "crisis-centre": {**in_place, "note": "Demo: har nummeret lagret under et annet navn."},
                "code-word": {
                    "status": PlanItem.Status.NEEDS_HELP,
                    "note": "Demo: har ikke avtalt et kodeord ennå.",
                    "next_step": "Demo: avtale et kodeord med en venninne før neste samtale.",
                    "responsible": PlanItem.Responsible.PERSON,
                },
            },
        ),
        contacts=_contacts(plan, ("Demo: krisesenteret", "22 00 00 00")),
    )
    return safety_plan_set_next_review(
        plan=plan, user=counsellor, next_review_on=timezone.localdate() + datetime.timedelta(days=7)
    )


def _plan_declined(*, counsellor, unit) -> SafetyPlan:
    plan = safety_plan_create(user=counsellor, unit=unit, label="Demo B", pk=DEMO_PLAN_DECLINED)
    plan = safety_plan_record_declined(plan=plan, user=counsellor, declined=True)
    plan = safety_plan_save(
        plan=plan,
        user=counsellor,
        revision=plan.revision,
        sections={"contact_channel": "Demo: tar selv kontakt med senteret."},
        items=_items(plan, {"escape-plan": {"status": PlanItem.Status.IN_PLACE}}),
        contacts=_contacts(plan),
    )
    safety_plan_review(
        plan=plan,
        user=counsellor,
        next_review_on=timezone.localdate() + datetime.timedelta(days=14),
        note="Demo: gjennomgått på telefon.",
    )
    # The services only take review dates after today; the demo wants one that is due, so set it directly.
    SafetyPlan.objects.filter(pk=plan.pk).update(next_review_on=timezone.localdate() - datetime.timedelta(days=1))
    return SafetyPlan.objects.get(pk=plan.pk)


@transaction.atomic
def seed_demo_safety_plans(*, counsellor, unit, intake) -> list[SafetyPlan]:
    """Two demo plans: one started from ``intake`` with items in place, one needing help and a review in a
    week; one where the person does not want involvement from services, reviewed once and now due again."""
    plans = []
    for pk, make in [
        (DEMO_PLAN_FROM_INTAKE, lambda: _plan_from_intake(counsellor=counsellor, unit=unit, intake=intake)),
        (DEMO_PLAN_DECLINED, lambda: _plan_declined(counsellor=counsellor, unit=unit)),
    ]:
        plans.append(SafetyPlan.objects.filter(pk=pk).first() or make())
    return plans
