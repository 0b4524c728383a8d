"""The HMS risk matrix: consequence x probability, each 1-5 in words, giving a risk level low / medium / high.

The bands follow the common Norwegian 5x5 matrix: a product up to 4 is low (green), 5-12 medium (yellow),
15 and above high (red). The level is always shown in words beside its colour, never by colour alone.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

SCALE = range(1, 6)


class Consequence(models.IntegerChoices):
    NEGLIGIBLE = 1, _("1 Negligible")
    MINOR = 2, _("2 Minor")
    SERIOUS = 3, _("3 Serious")
    VERY_SERIOUS = 4, _("4 Very serious")
    CRITICAL = 5, _("5 Critical")


class Probability(models.IntegerChoices):
    VERY_UNLIKELY = 1, _("1 Very unlikely")
    UNLIKELY = 2, _("2 Unlikely")
    POSSIBLE = 3, _("3 Possible")
    LIKELY = 4, _("4 Likely")
    VERY_LIKELY = 5, _("5 Very likely")


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low risk")
    MEDIUM = "medium", _("Medium risk")
    HIGH = "high", _("High risk")


# Bootstrap's badge classes, with the contrast axe asks for; the words go beside the colour.
LEVEL_CSS = {RiskLevel.LOW: "text-bg-success", RiskLevel.MEDIUM: "text-bg-warning", RiskLevel.HIGH: "text-bg-danger"}


def risk_level(consequence: int | None, probability: int | None) -> str:
    """The level of a consequence and a probability (1-5 each); "" when either is missing."""
    if not consequence or not probability:
        return ""
    score = consequence * probability
    if score <= 4:
        return RiskLevel.LOW
    if score <= 12:
        return RiskLevel.MEDIUM
    return RiskLevel.HIGH


def cause_categories() -> list[tuple[str, str]]:
    """The coded cause categories; ``settings.INCIDENT_CAUSE_CATEGORIES`` ((code, label) pairs) replaces the
    defaults."""
    configured = getattr(settings, "INCIDENT_CAUSE_CATEGORIES", None)
    if configured:
        return [(str(code), str(label)) for code, label in configured]
    return [(code, str(label)) for code, label in DEFAULT_CAUSES]


DEFAULT_CAUSES = [
    ("person", _("A person's behaviour (visitor, student, client)")),
    ("routine", _("The routine was missing, unclear or not followed")),
    ("training", _("Lack of training or information")),
    ("staffing", _("Staffing or workload")),
    ("premises", _("Premises, equipment or alarms")),
    ("communication", _("Communication or cooperation")),
    ("external", _("External circumstances")),
    ("other", _("Other")),
]


# --- Per-unit words (IncidentUnitSettings.consequence_labels / probability_labels) -------------------------

RISK_FIELDS = {
    "consequence": "consequence",
    "suggested_consequence": "consequence",
    "probability": "probability",
    "suggested_probability": "probability",
}


def matrix_labels(unit: Any) -> dict[str, list[tuple[int, str]]]:
    """The risk matrix's words for ``unit`` (a Unit or its id): its own where it set them ("3 Alvorlig
    skade"), the defaults elsewhere. One query."""
    from incidents.models import IncidentUnitSettings

    unit_id = getattr(unit, "pk", unit)
    row = IncidentUnitSettings.objects.filter(unit_id=unit_id).values("consequence_labels", "probability_labels")
    found = row.first()
    own: dict[str, list[str]] = {
        "consequence": list(found["consequence_labels"] or []) if found else [],
        "probability": list(found["probability_labels"] or []) if found else [],
    }
    result = {}
    for kind, choices in (("consequence", Consequence), ("probability", Probability)):
        labels = own[kind]
        result[kind] = [
            (value, f"{value} {labels[value - 1]}" if value <= len(labels) and labels[value - 1] else str(default))
            for value, default in choices.choices
        ]
    return result


def apply_matrix_labels(form: Any, unit: Any) -> None:
    """Give the form's consequence and probability fields the unit's words (their values stay 1-5)."""
    labels = matrix_labels(unit)
    for name, kind in RISK_FIELDS.items():
        field = form.fields.get(name)
        if field is None:
            continue
        blank = [choice for choice in field.choices if choice[0] in ("", None)]
        field.choices = blank + labels[kind]
