import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from accounts.models import Unit
from core.uploads import private_storage


class QuestionTree(models.Model):
    """A question tree's identity. Its questions live in versions, one FHIR Questionnaire document each."""

    slug = models.SlugField(_("short name"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    # What the tree is: the Questionnaire's canonical url, or where it has none its name, title or id
    # (intake.services.tree_key_for). Versions imported without a chosen tree are filed by it.
    canonical = models.CharField(
        _("canonical url"), max_length=1000, blank=True, default="", db_default="", db_index=True
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("question tree")
        verbose_name_plural = _("question trees")

    def __str__(self) -> str:
        return self.slug


class TreeVersion(models.Model):
    """One version of a tree in one language: a FHIR R4 Questionnaire JSON document.

    Each language is its own document with the same linkIds (docs/intake-trees.md says why), numbered per
    tree and language. Once published a version is never written again: intakes pin the exact version they
    were answered against, so it must keep meaning what it meant.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    class Language(models.TextChoices):
        NB = "nb", _("Norwegian bokmål")
        EN = "en", _("English")

    tree = models.ForeignKey(QuestionTree, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    language = models.CharField(_("language"), max_length=8, choices=Language.choices)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    questionnaire = models.JSONField(_("questionnaire"))
    # The document's own business version and FHIR status (draft, active, retired, unknown); a document
    # without a status is taken as a draft. A draft is published only when the editor says so.
    fhir_version = models.CharField(_("FHIR version"), max_length=100, blank=True, default="", db_default="")
    fhir_status = models.CharField(_("FHIR status"), max_length=16, blank=True, default="", db_default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("published by"),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["tree", "language", "-number"]
        verbose_name = _("tree version")
        verbose_name_plural = _("tree versions")
        constraints = [
            models.UniqueConstraint(fields=["tree", "language", "number"], name="unique_tree_version"),
        ]
        indexes = [models.Index(fields=["tree", "language", "status", "-number"])]

    def __str__(self) -> str:
        return f"{self.tree.slug} v{self.number} ({self.language})"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def save(self, *args, **kwargs):
        # An integrity guard, not business logic: whatever path a write takes (service, admin, shell), a
        # published version must never change under the intakes pinned to it. Publishing itself is the
        # one allowed write, from draft to published.
        if self.pk is not None:
            stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored == self.Status.PUBLISHED:
                raise ValidationError(gettext("A published version cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_published:
            raise ValidationError(gettext("A published version cannot be deleted."))
        return super().delete(*args, **kwargs)


def drafts_first() -> models.Case:
    """0 for a draft, 1 for anything else: the intake list's first sort key (and its index's)."""
    return models.Case(
        models.When(status="draft", then=models.Value(0)), default=models.Value(1), output_field=models.IntegerField()
    )


COVER_LABEL_MAX = 40


class Intake(models.Model):
    """One first-contact conversation, answered against one pinned tree version.

    Visible to its owner, the colleagues in her unit she shares it with, and the unit's managers, through
    guardian grants (intake.services); everyone else gets 404. ``revision`` grows by one on every save, so a
    save made from a page loaded before another save is detected and refused (two tabs on one draft).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        FINALIZED = "finalized", _("Finalized")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="intakes", verbose_name=_("counsellor")
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="intakes", verbose_name=_("unit"))
    tree_version = models.ForeignKey(
        TreeVersion, on_delete=models.PROTECT, related_name="intakes", verbose_name=_("question tree version")
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    # A few words of the counsellor's choosing so drafts can be told apart in the list; never a name (the help
    # text says so, and the form warns about what looks like an identity or phone number).
    cover_label = models.CharField(_("cover label"), max_length=COVER_LABEL_MAX, blank=True, default="", db_default="")
    current_step = models.CharField(_("current step"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    revision = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    updated_at = models.DateTimeField(_("last saved"), default=timezone.now)
    finalized_at = models.DateTimeField(_("finalized"), null=True, blank=True)
    finalized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("finalized by"),
    )
    # What the counsellor did, recorded when finalizing (intake.finalize says what each means).
    offered_help = models.CharField(_("help offered"), max_length=64, blank=True)
    offered_reason = models.TextField(_("why other help was offered"), blank=True)
    open_items_reason = models.TextField(_("why finalized with questions not clarified"), blank=True, db_default="")
    information_given = models.JSONField(_("information given"), default=dict, blank=True)
    # True once this intake's anonymous IntakeStatistic row exists. A flag, not a link (the row must not lead
    # back to the case): retention (intake.retention) writes a missing row before deleting the intake.
    statistic_recorded = models.BooleanField(default=False, editable=False)
    # The journal note: drafted from the answers when the intake is finalized, editable until the note itself
    # is finalized; after that only addenda (IntakeNoteAddendum).
    note_text = models.TextField(_("journal note"), blank=True)
    note_finalized_at = models.DateTimeField(_("note finalized"), null=True, blank=True)
    note_finalized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("note finalized by"),
    )

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("intake")
        verbose_name_plural = _("intakes")
        indexes = [
            models.Index(fields=["owner", "status", "-updated_at"]),
            # The list's order (intake.selectors.intake_list_for_user), so PostgreSQL walks it and stops after a
            # page instead of sorting every intake the reader may see (`make bench`, docs/performance.md).
            models.Index(drafts_first(), models.F("updated_at").desc(), "id", name="intake_list_order"),
        ]

    def __str__(self) -> str:
        # No names or content: this string can end up in logs and the admin.
        return f"intake {self.pk}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def note_is_final(self) -> bool:
        return self.note_finalized_at is not None


class IntakeNoteAddendum(models.Model):
    """A dated addition to a finalized journal note: the note itself never changes once finalized."""

    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="addenda")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    text = models.TextField(_("addendum"))

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("journal note addendum")
        verbose_name_plural = _("journal note addenda")

    def __str__(self) -> str:
        return f"addendum {self.pk}"


def intake_attachment_path(instance: "IntakeAttachment", filename: str) -> str:
    """A random name under the intake's folder: nothing the uploader typed or named reaches the disk."""
    return f"intake/{instance.intake_id}/{uuid.uuid4().hex}.{instance.extension}"


class IntakeAttachment(models.Model):
    """A file answering an ``attachment`` question (intake.attachments). Checked by content, scanned where a
    scanner is configured, photos stripped of their metadata; kept in private storage with no URL and served
    only by ``intake:attachment`` after the access check. The answer refers to it as ``urn:uuid:<id>``. Its
    file is deleted when the answer is replaced or removed, and with the intake (intake.retention)."""

    class Scan(models.TextChoices):
        CLEAN = "clean", _("Scanned for viruses: none found")
        NOT_SCANNED = "not_scanned", _("Not scanned: no virus scanner is set up")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="attachments")
    link_id = models.CharField(max_length=255)
    file = models.FileField(storage=private_storage, upload_to=intake_attachment_path, max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    extension = models.CharField(max_length=8)
    size = models.PositiveIntegerField(_("size"))
    scan = models.CharField(_("virus scan"), max_length=16, choices=Scan.choices)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("intake attachment")
        verbose_name_plural = _("intake attachments")

    def __str__(self) -> str:
        return f"intake attachment {self.pk}"

    @property
    def reference(self) -> str:
        return f"urn:uuid:{self.pk}"


class IntakeStatistic(models.Model):
    """One anonymous row per finalized intake, kept apart from the case on purpose: no link to the intake,
    no person, no free text, no day (only the month), so it survives the case's deletion and says nothing
    about who. Codes only, from the tree's options and outcomes."""

    month = models.DateField(_("month"))  # always the first of the month
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    contact_channel = models.CharField(_("contact channel"), max_length=64, blank=True)
    interpreter_used = models.BooleanField(_("interpreter used"), null=True)
    children_involved = models.BooleanField(_("children involved"), null=True)
    help_recommended = models.CharField(_("help recommended"), max_length=255, blank=True)  # codes, comma-joined
    help_offered = models.CharField(_("help offered"), max_length=64, blank=True)

    class Meta:
        ordering = ["-month"]
        verbose_name = _("intake statistic")
        verbose_name_plural = _("intake statistics")
        indexes = [models.Index(fields=["unit", "month"])]

    def __str__(self) -> str:
        return f"statistic {self.pk}"


class UnitIntakeTree(models.Model):
    """A question tree a unit's counsellors may start intakes with, chosen by an editor or manager of the unit.

    A unit with no rows uses the default tree (``settings.INTAKE_TREE``, the demo's first-contact), so units
    keep working as before until someone chooses (intake.selectors.enabled_trees_for_unit)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+", verbose_name=_("unit"))
    tree = models.ForeignKey(
        QuestionTree, on_delete=models.PROTECT, related_name="unit_choices", verbose_name=_("question tree")
    )
    enabled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    enabled_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["unit", "tree"]
        verbose_name = _("question tree in use")
        verbose_name_plural = _("question trees in use")
        constraints = [models.UniqueConstraint(fields=["unit", "tree"], name="unique_unit_intake_tree")]

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.tree_id}"


class IntakeUserObjectPermission(UserObjectPermissionBase):
    """Guardian's direct foreign-key permission models for intakes (plain joins, real FK integrity)."""

    content_object = models.ForeignKey(Intake, on_delete=models.CASCADE)


class IntakeGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Intake, on_delete=models.CASCADE)


class ImportedTerminology(models.Model):
    """What an imported CodeSystem and ValueSet share (intake.terminology): canonical identity, one row per url
    and version, the document as imported, and who imported it when."""

    url = models.CharField(_("canonical url"), max_length=500)
    version = models.CharField(_("version"), max_length=100, blank=True, default="")
    name = models.CharField(_("name"), max_length=255, blank=True, default="")
    title = models.CharField(_("title"), max_length=255, blank=True, default="")
    status = models.CharField(_("status"), max_length=16, blank=True, default="")
    resource = models.JSONField(_("resource"))
    # Stored so the list of what is imported need not read any document (a whole package is 1 000+ of them).
    concept_count = models.PositiveIntegerField(_("concepts"), default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["url", "-imported_at"]

    def __str__(self) -> str:
        return f"{self.url}|{self.version}" if self.version else self.url


class CodeSystem(ImportedTerminology):
    """An imported FHIR R4 CodeSystem: what a ValueSet including the whole system (or a part of its hierarchy)
    offers. Only complete code systems are kept; its concepts (nested as the hierarchy) are read from
    ``resource``."""

    class Meta(ImportedTerminology.Meta):
        verbose_name = _("code system")
        verbose_name_plural = _("code systems")
        constraints = [models.UniqueConstraint(fields=["url", "version"], name="unique_code_system_version")]


class ValueSet(ImportedTerminology):
    """An imported FHIR R4 ValueSet, expanded once on import: ``concepts`` is the list a Questionnaire's
    ``answerValueSet`` gets as its answer options, each ``{system, code, display}``. A Questionnaire copies them
    into its own document when it is imported, so a tree version never changes when a ValueSet is imported
    again."""

    concepts = models.JSONField(_("concepts"), default=list)

    class Meta(ImportedTerminology.Meta):
        verbose_name = _("value set")
        verbose_name_plural = _("value sets")
        constraints = [models.UniqueConstraint(fields=["url", "version"], name="unique_value_set_version")]
