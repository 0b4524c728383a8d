"""The national emergency numbers, as data the app knows, and the checks built on them.

A routine's contacts are typed by editors; a typo in "Politi 112" is posted on walls once the folder is
printed. So a contact whose name says it is one of these services must carry that service's number, a contact
whose number is one of these numbers must not be named as another of them, and every other number change is
shown to the approver to confirm by hand (routines.services.routine_version_approve).
"""

import re
from dataclasses import dataclass

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from routines.content import LANGS


@dataclass(frozen=True, eq=False)  # compared by identity: each number is one object
class EmergencyNumber:
    digits: str  # the number as dialled
    display: str  # the number as printed
    label: dict[str, str]  # the service's name per language
    # Lower-case whole words or phrases that name the service in a contact's name.
    names: tuple[str, ...]


# Norway's national emergency numbers and the national helpline the demo routines name (legevakt, 116 117).
EMERGENCY_NUMBERS: tuple[EmergencyNumber, ...] = (
    EmergencyNumber("112", "112", {"nb": "Politi", "en": "Police"}, ("politi", "politiet", "police")),
    EmergencyNumber(
        "113",
        "113",
        {"nb": "Ambulanse / medisinsk nødtelefon", "en": "Ambulance / medical emergency"},
        ("ambulanse", "ambulance", "medisinsk nødtelefon", "medical emergency", "amk"),
    ),
    EmergencyNumber("110", "110", {"nb": "Brann", "en": "Fire"}, ("brann", "brannvesen", "brannvesenet", "fire")),
    EmergencyNumber(
        "116117",
        "116 117",
        {"nb": "Legevakt", "en": "Emergency clinic"},
        ("legevakt", "legevakten", "emergency clinic", "out-of-hours clinic"),
    ),
)

# A name with one of these is about a service's other line ("Politiet, ikke akutt: 02800"), not the emergency.
_NOT_EMERGENCY = re.compile(r"\b(ikke[ -]akutt|non-emergency|not an emergency|sentralbord|switchboard)\b", re.I)


def digits(number: str) -> str:
    """The number as dialled: spaces, dashes, dots and brackets dropped."""
    return re.sub(r"[\s\-.()]", "", number or "")


def by_digits(number: str) -> EmergencyNumber | None:
    wanted = digits(number)
    return next((e for e in EMERGENCY_NUMBERS if e.digits == wanted), None)


def named_services(label: str) -> list[EmergencyNumber]:
    """The emergency services a contact's name names (usually none or one)."""
    if not label or _NOT_EMERGENCY.search(label):
        return []
    text = label.lower()
    return [e for e in EMERGENCY_NUMBERS if any(re.search(rf"(?<!\w){re.escape(n)}(?!\w)", text) for n in e.names)]


def _service_name(service: EmergencyNumber) -> str:
    return service.label.get(get_language() or "nb", service.label["nb"])


def _label(contact: dict, lang: str) -> str:
    value = contact.get("label")
    return value.get(lang, "") if isinstance(value, dict) else ""


def emergency_number_problems(content: dict) -> list[str]:
    """Contacts named as an emergency service with another number, or with an emergency number and named as
    another emergency service. Each problem says what to fix."""
    problems = []
    for i, contact in enumerate(content.get("contacts", []), start=1):
        number = contact.get("number", "")
        if not digits(number):
            continue  # routines.content.validate_content asks for the number
        names = {e: _label(contact, lang) for lang in reversed(LANGS) for e in named_services(_label(contact, lang))}
        named = set(names)
        dialled = by_digits(number)
        for service in sorted(named, key=lambda e: e.digits):
            if service is not dialled:
                problems.append(
                    _(
                        "Emergency contact %(n)s is named %(name)s, but its number is %(number)s. The number "
                        "for %(service)s is %(right)s: correct the number, or rename the contact if it is "
                        "another line."
                    )
                    % {
                        "n": i,
                        "name": "“" + names[service] + "”",
                        "number": number,
                        "service": _service_name(service),
                        "right": service.display,
                    }
                )
        if dialled is not None and named and dialled not in named:
            problems.append(
                _("Emergency contact %(n)s: %(number)s is the number for %(service)s. Name the contact so.")
                % {"n": i, "number": dialled.display, "service": _service_name(dialled)}
            )
    return problems


@dataclass(frozen=True)
class NumberChange:
    label: str  # the contact's name (bokmål, else English)
    old: str  # "" for a new contact
    new: str  # "" for a removed contact


def number_changes(old_content: dict | None, new_content: dict) -> list[NumberChange]:
    """Every phone number that is new, changed or gone between two versions, contacts matched by name (so
    moving a contact is not a change). The approver confirms each one explicitly."""

    def numbers(content: dict | None) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for contact in (content or {}).get("contacts", []):
            name = (_label(contact, "nb") or _label(contact, "en")).strip()
            out.setdefault(name, []).append(contact.get("number", ""))
        return out

    before, after = numbers(old_content), numbers(new_content)
    changes = []
    for name in [*after, *(n for n in before if n not in after)]:
        old_list = sorted(before.get(name, []), key=digits)
        new_list = sorted(after.get(name, []), key=digits)
        if [digits(n) for n in old_list] == [digits(n) for n in new_list]:
            continue
        for k in range(max(len(old_list), len(new_list))):
            old = old_list[k] if k < len(old_list) else ""
            new = new_list[k] if k < len(new_list) else ""
            if digits(old) != digits(new):
                changes.append(NumberChange(label=name, old=old, new=new))
    return changes
