import uuid

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from accounts.models import Unit
from core.uploads import KINDS, private_storage
from incidents.risk import (
    LEVEL_CSS,
    Consequence,
    Probability,
    RiskLevel,
    cause_categories,
    matrix_labels,
    risk_level,
)


class IncidentType(models.TextChoices):
    VIOLENCE = "violence", _("Violence")
    THREAT_IN_PERSON = "threat_in_person", _("Threat in person")
    THREAT_EMAIL = "threat_email", _("Threat by e-mail")
    THREAT_PHONE = "threat_phone", _("Threat by phone")
    SUICIDE_RISK = "suicide_risk", _("Suicide risk")
    SERIOUS_ILLNESS = "serious_illness", _("Serious illness or accident")
    EXCHANGE_STUDENTS = "exchange_students", _("Serious incident involving exchange students")
    OTHER = "other", _("Other")


class ImmediateAction(models.TextChoices):
    POLICE = "police_112", _("Police called (112)")
    AMBULANCE = "ambulance_113", _("Ambulance called (113)")
    EMERGENCY_CLINIC = "emergency_clinic_116117", _("Emergency clinic called (116 117)")
    ACUTE_TEAM = "local_acute_team", _("Local acute team contacted")
    MANAGER = "manager_notified", _("Manager notified")
    PREMISES_CLOSED = "premises_closed", _("Premises closed")
    THREATENED_WARNED = "threatened_warned", _("People who were threatened warned")
    HEALTH_SERVICE = "health_service", _("Health service contacted")


def _label(choices: type[models.Choices], value: str) -> str:
    """The label of ``value`` among ``choices``, or the value itself if it is not one of them (as Django does)."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


class Incident(models.Model):
    """A deviation report. Its id is the only thing that ever appears in a URL, a subject line or a log."""

    class State(models.TextChoices):
        REPORTED = "reported", _("Reported")
        IN_REVIEW = "in_review", _("In review")
        CLOSED = "closed", _("Closed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    type = models.CharField(_("type"), max_length=32, choices=IncidentType.choices)
    occurred_at = models.DateTimeField(_("when it happened"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="incidents", verbose_name=_("unit"))
    place = models.CharField(_("place"), max_length=200)
    what_happened = models.TextField(_("what happened"))
    immediate_actions = models.JSONField(_("immediate actions taken"), default=list, blank=True)
    affected_students = models.PositiveIntegerField(_("students affected"), default=0)
    affected_staff = models.PositiveIntegerField(_("staff affected"), default=0)
    affected_others = models.PositiveIntegerField(_("others affected"), default=0)
    # Empty only once the report is anonymised under the retention rules (incidents.retention).
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("reported by")
    )
    reported_at = models.DateTimeField(_("reported"), default=timezone.now)
    # By when a manager must take the report (incidents.deadlines, from its type); null only for old rows.
    response_deadline = models.DateTimeField(_("response deadline"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.REPORTED)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("responsible manager"),
    )
    # Risk (incidents.risk): the reporter suggests, a manager confirms; risk_level is the confirmed level, or the
    # suggested one until then, kept here so the list can filter on it.
    suggested_consequence = models.PositiveSmallIntegerField(
        _("consequence (suggested)"), choices=Consequence.choices, null=True, blank=True
    )
    suggested_probability = models.PositiveSmallIntegerField(
        _("probability (suggested)"), choices=Probability.choices, null=True, blank=True
    )
    consequence = models.PositiveSmallIntegerField(_("consequence"), choices=Consequence.choices, null=True, blank=True)
    probability = models.PositiveSmallIntegerField(_("probability"), choices=Probability.choices, null=True, blank=True)
    risk_level = models.CharField(_("risk level"), max_length=8, choices=RiskLevel.choices, blank=True, db_default="")
    risk_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("risk confirmed by"),
    )
    risk_confirmed_at = models.DateTimeField(_("risk confirmed"), null=True, blank=True)
    cause_category = models.CharField(_("cause category"), max_length=32, blank=True, db_default="")
    root_cause = models.TextField(_("root cause"), blank=True, db_default="")
    # Anonymous reporting (incidents.anonymous): no reporter is stored, ever; the reporter follows the report
    # with a receipt code shown once, of which only the SHA-256 is kept here (emptied on anonymisation).
    anonymous = models.BooleanField(_("anonymous report"), default=False, db_default=False)
    receipt_code_hash = models.CharField(max_length=64, blank=True, db_default="", db_index=True, editable=False)
    # The reporter (or a manager editing) kept text that looked like a national identity number or a phone
    # number after the warning: the managers see it, and the export has a column for it.
    pii_overridden = models.BooleanField(_("personal data warning overridden"), default=False, db_default=False)
    # Optimistic locking: every change bumps it; a save based on an older number is refused.
    version = models.PositiveIntegerField(default=1)
    # The one-time token of the form that created the report, so a double submit finds the first report.
    form_token = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    # Closing
    evaluation_summary = models.TextField(_("evaluation summary"), blank=True)
    learning_points = models.TextField(_("learning points"), blank=True)
    debrief_offered = models.BooleanField(_("debrief offered"), default=False)
    debrief_at = models.DateField(_("debrief date"), null=True, blank=True)
    routine_needs_revision = models.BooleanField(_("the routine needs revision"), default=False)
    routine = models.ForeignKey(
        "routines.Routine",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="incidents",
        verbose_name=_("routine"),
    )
    # What the reporter may read of the outcome (tilbakemelding til melder), on "My reports".
    reporter_feedback = models.TextField(_("feedback to the reporter"), blank=True, db_default="")
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("closed by"),
    )
    # Set when the retention rules removed the free text and the people (incidents.retention): the type, unit,
    # dates, state, counts and codes stay, so the overview's figures do not change.
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-occurred_at"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        # The list is filtered by unit/state/type and always ordered newest first.
        indexes = [
            models.Index(fields=["-occurred_at"], name="incident_occurred"),
            models.Index(fields=["unit", "-occurred_at"], name="incident_unit_occurred"),
            models.Index(fields=["state", "-occurred_at"], name="incident_state_occurred"),
            models.Index(fields=["type", "-occurred_at"], name="incident_type_occurred"),
            models.Index(fields=["reporter", "-occurred_at"], name="incident_reporter_occurred"),
            models.Index(fields=["risk_level", "-occurred_at"], name="incident_risk_occurred"),
        ]

    def __str__(self) -> str:
        # Never free text: this string may end up in logs and admin breadcrumbs.
        return f"{self.get_type_display()} {self.pk}"

    @property
    def short_id(self) -> str:
        return str(self.pk)[:8]

    # The lists show these for every row: a lookup in the choices' enum, where Django's own
    # get_FOO_display builds a dict of every choice on each call (a third of the rows' rendering).
    def get_type_display(self) -> str:  # type: ignore[no-redef]
        return _label(IncidentType, self.type)

    def get_state_display(self) -> str:  # type: ignore[no-redef]
        return _label(Incident.State, self.state)

    def get_risk_level_display(self) -> str:  # type: ignore[no-redef]
        return _label(RiskLevel, self.risk_level)

    @property
    def risk_confirmed(self) -> bool:
        return self.risk_confirmed_at is not None

    @property
    def risk_css(self) -> str:
        return LEVEL_CSS.get(RiskLevel(self.risk_level), "") if self.risk_level else ""

    def _matrix_word(self, kind: str, value: int | None) -> str:
        if not value:
            return ""
        return dict(matrix_labels(self.unit_id)[kind]).get(value, str(value))

    # The unit's own words for the risk matrix where it set them (incidents.risk.matrix_labels).
    def get_consequence_display(self) -> str:  # type: ignore[no-redef]
        return self._matrix_word("consequence", self.consequence)

    def get_probability_display(self) -> str:  # type: ignore[no-redef]
        return self._matrix_word("probability", self.probability)

    def get_suggested_consequence_display(self) -> str:  # type: ignore[no-redef]
        return self._matrix_word("consequence", self.suggested_consequence)

    def get_suggested_probability_display(self) -> str:  # type: ignore[no-redef]
        return self._matrix_word("probability", self.suggested_probability)

    def get_cause_category_display(self) -> str:
        return dict(cause_categories()).get(self.cause_category, self.cause_category)

    def compute_risk_level(self) -> str:
        if self.consequence and self.probability:
            return risk_level(self.consequence, self.probability)
        return risk_level(self.suggested_consequence, self.suggested_probability)

    def get_immediate_actions_display(self) -> list[str]:
        labels = dict(ImmediateAction.choices)
        return [labels.get(code, code) for code in self.immediate_actions]


class IncidentTransition(models.Model):
    """The change log: every state change, assignment and edit, with who, when and why."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="transitions")
    at = models.DateTimeField(_("when"), default=timezone.now)
    # Empty for what an anonymous reporter did (filing, answering): nothing links it to an account.
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("who")
    )
    from_state = models.CharField(_("from"), max_length=16, choices=Incident.State.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=16, choices=Incident.State.choices)
    kind = models.CharField(_("change"), max_length=32)
    reason = models.TextField(_("reason"), blank=True)

    KINDS = {
        "reported": _("Reported"),
        "taken": _("Taken"),
        "assigned": _("Assigned"),
        "review_started": _("Review started"),
        "edited": _("Edited"),
        "closed": _("Closed"),
        "reopened": _("Reopened"),
        "action_added": _("Action added"),
        "action_updated": _("Action changed"),
        "risk_confirmed": _("Risk assessed"),
        "attachment_added": _("Attachment added"),
        "attachment_removed": _("Attachment removed"),
        "message_to_reporter": _("Message to the reporter"),
        "message_from_reporter": _("Answer from the reporter"),
    }
    # Field labels and statuses only, never what was typed: {"fields": [names]} for an edit,
    # {"status": [old, new]} for an action, {"assignee": name} for a new responsible manager.
    changes = models.JSONField(_("what changed"), default=dict, blank=True, db_default={})

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("incident change")
        verbose_name_plural = _("incident changes")

    def get_kind_display(self) -> str:
        if self.kind.startswith("step_"):
            return str(_("Checklist step %(number)s") % {"number": self.kind.removeprefix("step_")})
        return str(self.KINDS.get(self.kind, self.kind))

    @property
    def state_changed(self) -> bool:
        return self.from_state != self.to_state

    def get_changes_display(self) -> str:
        """What changed, in words: the fields' labels and the statuses, never their content."""
        changes = self.changes or {}
        parts = []
        if changes.get("fields"):
            labels = []
            for name in changes["fields"]:
                try:
                    field = Incident._meta.get_field(name)
                except FieldDoesNotExist:
                    labels.append(name)
                    continue
                labels.append(str(getattr(field, "verbose_name", name)))
            parts.append(str(_("Changed: %(fields)s") % {"fields": ", ".join(labels)}))
        if changes.get("status"):
            old, new = changes["status"]
            statuses = dict(IncidentAction.Status.choices)
            parts.append(
                str(_("Status: %(old)s → %(new)s") % {"old": statuses.get(old, old), "new": statuses.get(new, new)})
            )
        if changes.get("risk"):
            consequence, probability, level = changes["risk"]
            parts.append(
                str(
                    _("Consequence %(c)s, probability %(p)s: %(level)s")
                    % {"c": consequence, "p": probability, "level": RiskLevel(level).label}
                )
            )
        if changes.get("assignee"):
            parts.append(str(_("Responsible manager: %(name)s") % {"name": changes["assignee"]}))
        return "; ".join(parts)


class IncidentAction(models.Model):
    """A measure (tiltak) taken after an incident, or after an exercise of a routine (exercises app): exactly
    one of ``incident`` and ``exercise`` is set (a check constraint says so). The incidents' pages, lists,
    reminders and retention read only actions of incidents; the exercises app reads its own."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        CARRIED_OVER = "carried_over", _("Carried over to a new report")
        CANCELLED = "cancelled", _("Cancelled")

    # Carrying an action over or cancelling it needs a reason.
    NEEDS_REASON = frozenset({Status.CARRIED_OVER, Status.CANCELLED})

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    incident = models.ForeignKey(Incident, null=True, blank=True, on_delete=models.CASCADE, related_name="actions")
    exercise = models.ForeignKey(
        "exercises.Exercise", null=True, blank=True, on_delete=models.CASCADE, related_name="actions"
    )
    description = models.TextField(_("description"))
    # Empty only once the report is anonymised under the retention rules.
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("responsible")
    )
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    evaluation = models.TextField(_("did it work?"), blank=True)
    status_reason = models.TextField(_("reason"), blank=True, db_default="")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["deadline", "created_at"]
        # "tiltak", not the audit log's "handling" (the glossary)
        verbose_name = pgettext_lazy("incident", "action")
        verbose_name_plural = pgettext_lazy("incident", "actions")
        indexes = [
            models.Index(fields=["status", "deadline"], name="action_status_deadline"),
            models.Index(fields=["responsible", "status"], name="action_responsible_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(incident__isnull=False, exercise__isnull=True)
                | models.Q(incident__isnull=True, exercise__isnull=False),
                name="action_of_incident_or_exercise",
            )
        ]

    def is_overdue(self, today=None) -> bool:
        return self.status == self.Status.OPEN and self.deadline < (today or timezone.localdate())


class ChecklistStep(models.Model):
    """One of the five follow-up steps of an exchange-student incident (texts in incidents.checklist)."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="steps")
    number = models.PositiveSmallIntegerField(_("step"))
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("responsible"),
    )
    done_at = models.DateTimeField(_("done"), null=True, blank=True)

    class Meta:
        ordering = ["incident", "number"]
        verbose_name = _("checklist step")
        verbose_name_plural = _("checklist steps")
        constraints = [models.UniqueConstraint(fields=["incident", "number"], name="unique_incident_step")]


class IncidentMessage(models.Model):
    """A message between the unit's managers and the anonymous reporter of a report, through the case: the
    manager writes on the report's page, the reporter reads and answers with her receipt code. Deleted when
    the report is anonymised."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="messages")
    # Empty for the reporter's answers: nothing links them to an account.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("written by"),
    )
    from_reporter = models.BooleanField(_("from the reporter"), default=False)
    text = models.TextField(_("message"))
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("message to the reporter")
        verbose_name_plural = _("messages to the reporter")


class IncidentUnitSettings(models.Model):
    """A unit's choices for its incident reports: whether it takes anonymous reports (at a link of its own),
    and the words of its risk matrix (``incidents.risk.matrix_labels``; empty: the defaults)."""

    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="incident_settings")
    anonymous_reporting = models.BooleanField(_("take anonymous reports"), default=False)
    consequence_labels = models.JSONField(_("consequence labels"), default=list, blank=True)
    probability_labels = models.JSONField(_("probability labels"), default=list, blank=True)

    class Meta:
        verbose_name = _("incident settings of a unit")
        verbose_name_plural = _("incident settings of units")


def attachment_path(instance: "IncidentAttachment", filename: str) -> str:
    """A random name under the report's folder: nothing the uploader typed or named reaches the disk."""
    return f"incidents/{instance.incident_id}/{uuid.uuid4().hex}.{KINDS[instance.kind].extension}"


class IncidentAttachment(models.Model):
    """A photo or document on a report or one of its actions (incidents.attachments). Checked by content,
    scanned where a scanner is configured, photos stripped of their EXIF data; kept in private storage with no
    URL and served only by ``incidents:attachment`` after the access check. Deleted, file and row, when the
    report is anonymised (incidents.retention)."""

    class Scan(models.TextChoices):
        CLEAN = "clean", _("Scanned for viruses: none found")
        NOT_SCANNED = "not_scanned", _("Not scanned: no virus scanner is set up")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="attachments")
    action = models.ForeignKey(
        IncidentAction,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=pgettext_lazy("incident", "action"),
    )
    file = models.FileField(storage=private_storage, upload_to=attachment_path, max_length=200)
    # The name as uploaded, shown to those who may see the report; the stored file has a random name.
    name = models.CharField(_("file name"), max_length=200)
    kind = models.CharField(_("kind of file"), max_length=8)
    size = models.PositiveIntegerField(_("size"))
    scan = models.CharField(_("virus scan"), max_length=16, choices=Scan.choices)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("added by"),
    )
    uploaded_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    @property
    def content_type(self) -> str:
        return KINDS[self.kind].content_type

    @property
    def is_image(self) -> bool:
        return KINDS[self.kind].is_image


class IncidentUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Incident, on_delete=models.CASCADE)


class IncidentGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Incident, on_delete=models.CASCADE)
