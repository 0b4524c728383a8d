"""The five follow-up steps of a serious incident involving exchange students (seed 001), in our own words.

The names of the institution's own channels and systems differ between institutions, so they are
configurable text: ``settings.INCIDENT_CHECKLIST_NAMES`` overrides any of DEFAULT_NAMES.
"""

from typing import Any

from django.conf import settings
from django.utils.translation import get_language

DEFAULT_NAMES = {
    "internal_channel": {
        "nb": "beredskapskanalen for internasjonale koordinatorer",
        "en": "the emergency channel for international coordinators",
    },
    "archive_system": {"nb": "arkivsystemet", "en": "the archive system"},
    "central_unit": {
        "nb": "den sentrale enheten for internasjonalisering og studentliv",
        "en": "the central unit for internationalisation and student life",
    },
}

STEPS = [
    {
        "title": {"nb": "Varsle nærmeste leder", "en": "Notify the nearest manager"},
        "text": {
            "nb": "Lederen varsler videre i linjen og til {central_unit}, som fordeler ansvaret for trinn 2–5.",
            "en": "The manager notifies up the line and {central_unit}, who divide responsibility for steps 2–5.",
        },
    },
    {
        "title": {"nb": "Kartlegg berørte og fordel ansvar", "en": "Map who is affected and divide responsibility"},
        "text": {
            "nb": "Studenter fra flere fakulteter: {central_unit} følger opp. Studenter fra ett fakultet: "
            "fakultetet følger opp.",
            "en": "Students from more than one faculty: {central_unit} follows up. Students from one faculty: "
            "that faculty follows up.",
        },
    },
    {
        "title": {"nb": "Informer internt", "en": "Inform internally"},
        "text": {
            "nb": "Skriv en kort beskjed i {internal_channel}, uten personopplysninger.",
            "en": "Post a short message in {internal_channel}, with no personal data.",
        },
    },
    {
        "title": {"nb": "Kontakt og følg opp berørte", "en": "Contact and follow up those affected"},
        "text": {
            "nb": "Få samtykke før du deler opplysninger med pårørende. Kontakt partnerinstitusjonen ved behov.",
            "en": "Get consent before sharing anything with next of kin. Contact the partner institution when needed.",
        },
    },
    {
        "title": {"nb": "Etter hendelsen", "en": "After the incident"},
        "text": {
            "nb": "Evaluer, tilby debrief, arkiver samtaleloggen i {archive_system} og slett personopplysninger "
            "fra chatter.",
            "en": "Evaluate, offer a debrief, archive the conversation log in {archive_system} and delete "
            "personal data from chats.",
        },
    },
]


def names(lang: str) -> dict[str, str]:
    configured = {**DEFAULT_NAMES, **getattr(settings, "INCIDENT_CHECKLIST_NAMES", {})}
    return {key: value.get(lang) or value["nb"] for key, value in configured.items()}


def step_texts(lang: str | None = None) -> list[dict[str, Any]]:
    """[{number, title, text}] in the current language, with the configured names filled in."""
    lang = "en" if (lang or get_language()) == "en" else "nb"
    fill = names(lang)
    return [
        {"number": i, "title": step["title"][lang], "text": step["text"][lang].format(**fill)}
        for i, step in enumerate(STEPS, start=1)
    ]
