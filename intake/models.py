from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class QuestionTree(models.Model):
    """A question tree's identity. Its questions live in versions, one FHIR Questionnaire document each."""

    slug = models.SlugField(_("short name"), unique=True)
    title = models.CharField(_("title"), max_length=200)
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
