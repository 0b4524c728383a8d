import hashlib
import json

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit


class Routine(models.Model):
    """A routine's identity: its address, category and owners. Its content lives in versions."""

    class Category(models.TextChoices):
        VIOLENCE = "violence", _("Violence and threats")
        SUICIDE_ILLNESS = "suicide_illness", _("Suicide risk and serious illness")
        EXCHANGE_STUDENTS = "exchange_students", _("Exchange students")
        DUTY_TO_AVERT = "duty_to_avert", _("Duty to avert")

    class Kind(models.TextChoices):
        ROUTINE = "routine", _("Routine")
        FACILITATOR_GUIDE = "facilitator_guide", _("Facilitator guide")

    slug = models.SlugField(_("address"), unique=True, help_text=_("The last part of the routine's web address."))
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices, default=Kind.ROUTINE)
    owner_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="routines", verbose_name=_("owner"))
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("editor"),
    )
    staff_only = models.BooleanField(
        _("staff only"), default=False, help_text=_("Only logged-in staff may open it. Most routines are public.")
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Someone found the routine needs revision (an exercise's findings, routines.services.routine_revision_request):
    # it is on the unit's review list until a new version is published. The note says why, in a few words.
    revision_requested_at = models.DateTimeField(_("revision asked for"), null=True, blank=True)
    revision_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("revision asked for by"),
    )
    revision_note = models.CharField(_("why it needs revision"), max_length=300, blank=True, db_default="")

    class Meta:
        ordering = ["category", "slug"]
        verbose_name = _("routine")
        verbose_name_plural = _("routines")

    def __str__(self) -> str:
        return self.slug

    @property
    def needs_revision(self) -> bool:
        return self.revision_requested_at is not None


class RoutineVersion(models.Model):
    """One version of a routine's content in both languages. Once published it never changes.

    ``content`` holds the ordered sections with their steps, the emergency contacts, the related routines'
    slugs, the role cards (who does what: title, responsibilities, who usually has the role) and, for a
    facilitator guide, the agenda; its shape is checked by routines.content.validate_content.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    routine = models.ForeignKey(Routine, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    title_nb = models.CharField(_("title (bokmål)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    summary_nb = models.TextField(_("summary (bokmål)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    content = models.JSONField(_("content"), default=dict)
    # Plain text of the content per language, for search; derived once, when the version is saved.
    search_text_nb = models.TextField(blank=True, editable=False)
    search_text_en = models.TextField(blank=True, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateField(_("approved"), null=True, blank=True)
    # Four eyes: an editor asks for the saved state named by submitted_token to be published; another editor of
    # the unit or its manager approves exactly that state, and only then is it published. published_by is the
    # editor who asked; approved_by the second person, who confirmed every phone number change by hand.
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("asked for approval by"),
    )
    submitted_at = models.DateTimeField(_("asked for approval"), null=True, blank=True)
    submitted_token = models.CharField(max_length=64, blank=True, editable=False, db_default="")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("published by"),
    )
    numbers_confirmed = models.BooleanField(_("phone number changes confirmed"), default=False, db_default=False)
    # The demo seeds its versions directly (routines.demo); their approval is the demo's, not a person's.
    approved_by_demo = models.BooleanField(_("approved by the demo seed"), default=False, db_default=False)
    next_review = models.DateField(_("next review"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["routine", "-number"]
        verbose_name = _("routine version")
        verbose_name_plural = _("routine versions")
        constraints = [models.UniqueConstraint(fields=["routine", "number"], name="unique_routine_version")]
        indexes = [models.Index(fields=["routine", "status", "-number"])]

    def __str__(self) -> str:
        return f"{self.routine.slug} v{self.number}"

    @property
    def title(self) -> str:
        return self.title_en if get_language() == "en" else self.title_nb

    @property
    def summary(self) -> str:
        return self.summary_en if get_language() == "en" else self.summary_nb

    def state_token(self) -> str:
        """A short digest of what an editor can change. The edit form carries the token of the state it was
        opened on, so a save over someone else's newer save is refused instead of overwriting it."""
        state = [self.title_nb, self.title_en, self.summary_nb, self.summary_en, self.content]
        return hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()[:32]

    @property
    def awaiting_approval(self) -> bool:
        """A draft someone asked to publish, unchanged since they asked."""
        return (
            self.status == self.Status.DRAFT
            and self.submitted_by_id is not None
            and self.submitted_token == self.state_token()
        )

    def is_overdue(self, today=None) -> bool:
        return self.next_review is not None and self.next_review < (today or timezone.localdate())


class RoutinePdf(models.Model):
    """A rendered PDF of a published version, stored once (default storage) and served from there.

    The row is written only after the file is completely stored, so a request that finds the row always
    finds a whole file. Two simultaneous first requests render once: the second waits for the first's lock
    (routines.pdf_store); should both render all the same, one row wins and the loser's file is removed.
    """

    class Variant(models.TextChoices):
        FOLDER = "folder", _("Print folder")
        A4 = "a4", _("A4 print")

    version = models.ForeignKey(RoutineVersion, on_delete=models.CASCADE, related_name="pdfs")
    variant = models.CharField(max_length=16, choices=Variant.choices)
    lang = models.CharField(max_length=8)
    file_name = models.CharField(max_length=255)  # the name in default storage
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    pages = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "variant", "lang"], name="unique_routine_pdf"),
        ]

    def __str__(self) -> str:
        return f"{self.version} {self.variant} {self.lang}"

    @property
    def download_name(self) -> str:
        # Neutral and safe: only the slug (a SlugField), numbers and fixed words.
        return f"routine-{self.version.routine.slug}-v{self.version.number}-{self.lang}-{self.variant}.pdf"
