import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from accounts.models import Unit


class ChecklistItem(models.Model):
    """One question of the safety-planning checklist, as data: editors change the wording in both languages,
    add items and retire them. Plans keep the items they were made with (``active`` only decides what new
    plans and plans being edited are offered); an item in use is never deleted."""

    code = models.SlugField(_("short name"), unique=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    title_nb = models.CharField(_("text (bokmål)"), max_length=200)
    title_en = models.CharField(_("text (English)"), max_length=200)
    help_nb = models.TextField(_("guidance for the counsellor (bokmål)"), blank=True)
    help_en = models.TextField(_("guidance for the counsellor (English)"), blank=True)
    active = models.BooleanField(_("offered on plans"), default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")

    def __str__(self) -> str:
        return self.code

    @property
    def title(self) -> str:
        """The text in the active language (bokmål when English is empty)."""
        return (self.title_en if (get_language() or "nb").startswith("en") else "") or self.title_nb

    @property
    def help(self) -> str:
        return (self.help_en if (get_language() or "nb").startswith("en") else "") or self.help_nb


class SafetyPlan(models.Model):
    """A safety plan made by a counsellor together with one person, who is known here only by a label the
    counsellor chooses. Visible to its owner, the colleagues in her unit she shares it with, and the unit's
    managers (guardian grants, safety_plans.services); everyone else gets 404. ``revision`` grows on every
    save, so a save from a page loaded before another save is detected and refused."""

    class Children(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")
        UNKNOWN = "unknown", _("Not known yet")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="safety_plans", verbose_name=_("counsellor")
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="safety_plans", verbose_name=_("unit"))
    label = models.CharField(_("label"), max_length=60)
    intake = models.ForeignKey(
        "intake.Intake",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="safety_plans",
        verbose_name=_("intake"),
    )
    # How to keep in contact safely.
    contact_channel = models.CharField(_("safe way to make contact"), max_length=200, blank=True)
    contact_times = models.CharField(_("safe times"), max_length=200, blank=True)
    contact_if_other_answers = models.TextField(_("if someone else answers"), blank=True)
    # What the person already does, and who else is affected.
    protective_measures = models.TextField(_("protective measures already in use"), blank=True)
    children_affected = models.CharField(
        _("children affected"), max_length=8, choices=Children.choices, default=Children.UNKNOWN
    )
    dependents_note = models.TextField(_("children and other dependents"), blank=True)
    # "Does not want involvement from services" is documented, with when and by whom; the plan still works.
    declined_services_at = models.DateTimeField(_("does not want involvement from services"), null=True, blank=True)
    declined_services_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    last_reviewed_at = models.DateTimeField(_("last reviewed"), null=True, blank=True)
    revision = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    updated_at = models.DateTimeField(_("last saved"), default=timezone.now)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("safety plan")
        verbose_name_plural = _("safety plans")
        indexes = [models.Index(fields=["owner", "next_review_on"])]

    def __str__(self) -> str:
        # No label or content: this string can end up in logs and the admin.
        return f"safety plan {self.pk}"

    @property
    def declined_services(self) -> bool:
        return self.declined_services_at is not None

    def review_due(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.next_review_on is not None and self.next_review_on <= today


class PlanItem(models.Model):
    """One checklist item on one plan: where the person stands on it, and what happens next."""

    class Status(models.TextChoices):
        NOT_DISCUSSED = "not_discussed", _("Not discussed")
        IN_PLACE = "in_place", _("In place")
        NEEDS_HELP = "needs_help", _("Needs help")
        NOT_RELEVANT = "not_relevant", _("Not relevant")

    class Responsible(models.TextChoices):
        PERSON = "person", _("The person")
        COUNSELLOR = "counsellor", _("The counsellor")
        OTHER = "other", _("Someone else")

    plan = models.ForeignKey(SafetyPlan, on_delete=models.CASCADE, related_name="items")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("item"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.NOT_DISCUSSED)
    note = models.TextField(_("note"), blank=True)
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    responsible = models.CharField(_("who does it"), max_length=16, choices=Responsible.choices, blank=True)
    # The person's own words for the item on the discreet printout: the checklist's wording ("Bag ready with
    # documents and clothes") can give away what the card is for. Written and read only by the printout page
    # (safety_plans.services.printout_titles_save, safety_plans.printout.card_for); never shown in a list, the
    # plan's page or a review. A TextField so the personal-data check sees it (tests/tooling/
    # test_personal_data.py); the form refuses more than safety_plans.printout.ITEM_TITLE_MAX characters.
    card_title = models.TextField(_("title on the printout"), blank=True, default="", db_default="")

    class Meta:
        ordering = ["item__order", "item__code"]
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        constraints = [models.UniqueConstraint(fields=["plan", "item"], name="unique_plan_item")]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"plan item {self.pk}"


class PlanContact(models.Model):
    """A phone number that belongs on the plan (and perhaps on the pocket card): the police, the centre, a
    friend. The label is whatever the person wants to see, which may be a cover name."""

    plan = models.ForeignKey(SafetyPlan, on_delete=models.CASCADE, related_name="contacts")
    label = models.CharField(_("name"), max_length=60)
    number = models.CharField(_("phone number"), max_length=32)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("phone number")
        verbose_name_plural = _("phone numbers")

    def __str__(self) -> str:
        return f"plan contact {self.pk}"


class PlanReview(models.Model):
    """A review of the plan with the person: a dated snapshot of the whole plan as it stood, so the next
    review can show what changed since."""

    plan = models.ForeignKey(SafetyPlan, on_delete=models.CASCADE, related_name="reviews")
    reviewed_at = models.DateTimeField(_("reviewed"), default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("reviewed by")
    )
    next_review_on = models.DateField(_("next review"))
    note = models.TextField(_("review note"), blank=True)
    snapshot = models.JSONField(_("plan as reviewed"))

    class Meta:
        ordering = ["-reviewed_at", "-pk"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self) -> str:
        return f"plan review {self.pk}"


class SafetyPlanUserObjectPermission(UserObjectPermissionBase):
    """Guardian's direct foreign-key permission models for safety plans (plain joins, real FK integrity)."""

    content_object = models.ForeignKey(SafetyPlan, on_delete=models.CASCADE)


class SafetyPlanGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(SafetyPlan, on_delete=models.CASCADE)
