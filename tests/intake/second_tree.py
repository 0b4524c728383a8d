"""A second question tree, unlike the demo tree in every linkId, for tests that use any tree for real."""

from intake.questionnaire import EXT_NOTE_TEMPLATE, EXT_ROLE, EXT_STATISTIC, HELP_KIND_SYSTEM
from intake.services import tree_version_create, tree_version_publish

SYS = "https://example.org/fhir/CodeSystem/follow-up"
URL = "https://example.org/fhir/Questionnaire/follow-up"


def second_tree_document() -> dict:
    return {
        "resourceType": "Questionnaire",
        "status": "active",
        "language": "nb",
        "name": "follow-up",
        "title": "Oppfølgingssamtale",
        "url": URL,
        "version": "1.0",
        "extension": [
            {"url": EXT_NOTE_TEMPLATE, "valueString": "Oppfølging\nKanal: {{channel}}.\nBarn: {{kids}}.\n{{outcomes}}"}
        ],
        "item": [
            {
                "linkId": "about",
                "type": "group",
                "text": "Om samtalen",
                "item": [
                    {
                        "linkId": "channel",
                        "type": "choice",
                        "text": "Hvordan tok personen kontakt?",
                        "required": True,
                        "extension": [{"url": EXT_STATISTIC, "valueCode": "contact-channel"}],
                        "answerOption": [
                            {"valueCoding": {"system": SYS, "code": "phone", "display": "Telefon"}},
                            {"valueCoding": {"system": SYS, "code": "video", "display": "Video"}},
                        ],
                    },
                    {
                        "linkId": "kids",
                        "type": "boolean",
                        "text": "Er det barn i familien?",
                        "extension": [{"url": EXT_STATISTIC, "valueCode": "children-involved"}],
                    },
                    {"linkId": "sessions", "type": "integer", "text": "Antall samtaler hittil"},
                    {"linkId": "next", "type": "date", "text": "Neste avtale"},
                ],
            },
            {
                "linkId": "help",
                "type": "group",
                "text": "Anbefalt hjelp",
                "extension": [{"url": EXT_ROLE, "valueCode": "outcomes"}],
                "item": [
                    {
                        "linkId": "help-day",
                        "type": "display",
                        "text": "Samtaletilbud",
                        "extension": [{"url": EXT_ROLE, "valueCode": "outcome"}],
                        "code": [{"system": HELP_KIND_SYSTEM, "code": "day-service", "display": "Samtaletilbud"}],
                        "enableWhen": [{"question": "channel", "operator": "exists", "answerBoolean": True}],
                    }
                ],
            },
        ],
    }


def publish_second_tree(editor):
    """The second tree, published in bokmål."""
    version = tree_version_create(doc=second_tree_document(), user=editor, tree_slug="follow-up", language="nb")
    return tree_version_publish(version=version, user=editor)
