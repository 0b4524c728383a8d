"""What safety plans tell the audit log: the action codes they write, and their record types (a plan's reads
are reviewed like an intake's). Registered from ``SafetyPlansConfig.ready()``."""

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from core.auditing import ACTIONS, RECORD_TYPES, Action, Kind, ReadFacts, RecordType, case_read_facts
from safety_plans.models import ChecklistItem, SafetyPlan, SafetyPlanUserObjectPermission

ACTION_CODES: dict[str, Action] = {
    # Safety plans
    "safety_plan.created": Action(_("Started a safety plan"), Kind.CHANGED),
    "safety_plan.viewed": Action(_("Opened a safety plan"), Kind.VIEWED),
    "safety_plan.changed": Action(_("Changed a safety plan"), Kind.CHANGED),
    "safety_plan.reviewed": Action(_("Reviewed a safety plan"), Kind.CHANGED),
    "safety_plan.declined_recorded": Action(_("Recorded that services are not wanted"), Kind.CHANGED),
    "safety_plan.declined_withdrawn": Action(_("Withdrew that services are not wanted"), Kind.CHANGED),
    "safety_plan.shared": Action(_("Shared a safety plan"), Kind.SHARED),
    "safety_plan.unshared": Action(_("Stopped sharing a safety plan"), Kind.SHARED),
    "safety_plan.print_previewed": Action(_("Previewed a safety-plan printout"), Kind.VIEWED),
    "safety_plan.printed": Action(_("Printed a safety plan"), Kind.PRINTED),
    "safety_plan.printout_titles_changed": Action(_("Changed the wording of a safety-plan printout"), Kind.CHANGED),
    "safety_plan_checklist.created": Action(_("Added a safety-plan checklist item"), Kind.CHANGED),
    "safety_plan_checklist.changed": Action(_("Changed a safety-plan checklist item"), Kind.CHANGED),
}


def safety_plan_read_facts(ids: Iterable[str]) -> dict[str, ReadFacts]:
    return case_read_facts(SafetyPlan, SafetyPlanUserObjectPermission, ids)


def register() -> None:
    ACTIONS.register_all(ACTION_CODES)
    RECORD_TYPES.register(
        RecordType(
            model="safety_plans.safetyplan",
            label=SafetyPlan._meta.verbose_name,
            pages_in="safety_plans",
            read_facts=safety_plan_read_facts,
            order=20,
        )
    )
    RECORD_TYPES.register(
        RecordType(model="safety_plans.checklistitem", label=ChecklistItem._meta.verbose_name, order=80)
    )
