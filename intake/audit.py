"""What intake tells the audit log: the action codes it writes, and its record types (an intake's reads are
reviewed: the owner and the colleagues it is shared with read their own case). Registered from
``IntakeConfig.ready()``."""

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from core.auditing import ACTIONS, RECORD_TYPES, Action, Kind, ReadFacts, RecordType, case_read_facts
from intake.models import CodeSystem, Intake, IntakeUserObjectPermission, TreeVersion, ValueSet

ACTION_CODES: dict[str, Action] = {
    # Intake question trees
    "intake_tree.version_created": Action(_("Uploaded a question-tree version"), Kind.CHANGED),
    "intake_tree.version_published": Action(_("Published a question-tree version"), Kind.CHANGED),
    "intake_tree.exported": Action(_("Exported a question-tree version"), Kind.EXPORTED),
    "intake_terminology.imported": Action(_("Imported a ValueSet or CodeSystem for question trees"), Kind.CHANGED),
    # Intakes
    "intake.created": Action(_("Started an intake"), Kind.CHANGED),
    "intake.viewed": Action(_("Opened an intake"), Kind.VIEWED),
    "intake.changed": Action(_("Changed an intake's answers"), Kind.CHANGED),
    "intake.labelled": Action(_("Changed an intake's cover label"), Kind.CHANGED),
    "intake.autosaved": Action(_("Intake step saved automatically"), Kind.CHANGED),
    "intake.finalized": Action(_("Finalized an intake"), Kind.CHANGED),
    "intake.note_changed": Action(_("Changed a journal note draft"), Kind.CHANGED),
    "intake.note_finalized": Action(_("Finalized a journal note"), Kind.CHANGED),
    "intake.note_addendum_added": Action(_("Added to a journal note"), Kind.CHANGED),
    "intake.printed": Action(_("Downloaded a journal note PDF"), Kind.PRINTED),
    "intake.attachment_downloaded": Action(_("Downloaded a file from an intake's answers"), Kind.EXPORTED),
    "intake.shared": Action(_("Shared an intake"), Kind.SHARED),
    "intake.unshared": Action(_("Stopped sharing an intake"), Kind.SHARED),
    "intake.statistics_viewed": Action(_("Opened the intake statistics"), Kind.VIEWED),
    "intake.exported": Action(_("Exported an intake as a QuestionnaireResponse"), Kind.EXPORTED),
    "intake.imported": Action(_("Started an intake from a QuestionnaireResponse"), Kind.CHANGED),
    "intake.unit_trees_changed": Action(_("Chose the question trees a unit uses"), Kind.CHANGED),
}


def intake_read_facts(ids: Iterable[str]) -> dict[str, ReadFacts]:
    return case_read_facts(Intake, IntakeUserObjectPermission, ids)


def register() -> None:
    ACTIONS.register_all(ACTION_CODES)
    RECORD_TYPES.register(
        RecordType(
            model="intake.intake",
            label=Intake._meta.verbose_name,
            pages_in="intake",
            read_facts=intake_read_facts,
            order=10,
        )
    )
    RECORD_TYPES.register(RecordType(model="intake.treeversion", label=TreeVersion._meta.verbose_name, order=70))
    RECORD_TYPES.register(RecordType(model="intake.valueset", label=ValueSet._meta.verbose_name, order=71))
    RECORD_TYPES.register(RecordType(model="intake.codesystem", label=CodeSystem._meta.verbose_name, order=72))
