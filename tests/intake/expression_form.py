"""A small form using every SDC expression kind, in bokmål and English: a screening with two scored
questions (ordinalValue), a calculated score, a follow-up question an enableWhenExpression shows when the
score is 3 or more, a suggestion from the launch context (%unit), options computed from an answer
(answerExpression: the hardest of the things chosen as hard) and a check with its message (targetConstraint)."""

SDC = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-"
ORDINAL = "http://hl7.org/fhir/StructureDefinition/ordinalValue"

TEXTS = {
    "nb": {
        "title": "Kartlegging med poeng",
        "screening": "Kartlegging",
        "sleep": "Hvor ofte sover personen dårlig?",
        "worry": "Hvor ofte er personen redd?",
        "never": "Aldri",
        "sometimes": "Noen ganger",
        "often": "Ofte",
        "score": "Poengsum",
        "follow-up": "Hva trenger personen mest nå?",
        "unit-name": "Kontor",
        "age": "Alder",
        "age-check": "Alderen må være under 120 år.",
        "hard": "Hva er vanskelig nå?",
        "housing": "Bolig",
        "money": "Penger",
        "children": "Barna",
        "most": "Hva er vanskeligst (av det som er valgt over)?",
        "end": "Avslutning",
        "notes": "Notater",
    },
    "en": {
        "title": "Screening with a score",
        "screening": "Screening",
        "sleep": "How often does the person sleep badly?",
        "worry": "How often is the person afraid?",
        "never": "Never",
        "sometimes": "Sometimes",
        "often": "Often",
        "score": "Score",
        "follow-up": "What does the person need most now?",
        "unit-name": "Office",
        "age": "Age",
        "age-check": "The age must be below 120 years.",
        "hard": "What is hard now?",
        "housing": "Housing",
        "money": "Money",
        "children": "The children",
        "most": "Which is hardest (of what is chosen above)?",
        "end": "End",
        "notes": "Notes",
    },
}


def fhirpath(expression: str, **extra) -> dict:
    return {"language": "text/fhirpath", "expression": expression, **extra}


def scored_question(texts: dict[str, str], link_id: str) -> dict:
    """A choice of never, sometimes or often, scored 0, 1 and 2 (ordinalValue), in the texts' language."""
    return {
        "linkId": link_id,
        "type": "choice",
        "text": texts[link_id],
        "answerOption": [
            {"valueCoding": {"code": code, "display": texts[code]}, "extension": [{"url": ORDINAL, "valueDecimal": n}]}
            for code, n in (("never", 0), ("sometimes", 1), ("often", 2))
        ],
    }


def expression_form(language: str = "nb") -> dict:
    t = TEXTS[language]

    answer_of = "%resource.repeat(item).where(linkId='{}').answer.value"
    return {
        "resourceType": "Questionnaire",
        "url": "https://krisestotte.no/fhir/Questionnaire/expression-test",
        "name": "expression-test",
        "title": t["title"],
        "status": "active",
        "language": language,
        "extension": [
            {
                "url": "http://hl7.org/fhir/StructureDefinition/variable",
                "valueExpression": fhirpath(answer_of.format("score"), name="score"),
            }
        ],
        "item": [
            {
                "linkId": "screening",
                "type": "group",
                "text": t["screening"],
                "item": [
                    scored_question(t, "sleep"),
                    scored_question(t, "worry"),
                    {
                        "linkId": "score",
                        "type": "integer",
                        "text": t["score"],
                        "extension": [
                            {
                                "url": SDC + "calculatedExpression",
                                "valueExpression": fhirpath(
                                    "%resource.repeat(item).where(linkId in ('sleep' | 'worry'))"
                                    ".answer.value.ordinal().sum()"
                                ),
                            }
                        ],
                    },
                    {
                        "linkId": "follow-up",
                        "type": "string",
                        "text": t["follow-up"],
                        "extension": [
                            {"url": SDC + "enableWhenExpression", "valueExpression": fhirpath("%score >= 3")}
                        ],
                    },
                    {
                        "linkId": "unit-name",
                        "type": "string",
                        "text": t["unit-name"],
                        "extension": [{"url": SDC + "initialExpression", "valueExpression": fhirpath("%unit.name")}],
                    },
                    {
                        "linkId": "age",
                        "type": "integer",
                        "text": t["age"],
                        "extension": [
                            {
                                "url": "http://hl7.org/fhir/StructureDefinition/targetConstraint",
                                "extension": [
                                    {"url": "key", "valueId": "age-1"},
                                    {"url": "severity", "valueCode": "error"},
                                    {"url": "expression", "valueExpression": fhirpath("answer.value < 120")},
                                    {"url": "human", "valueString": t["age-check"]},
                                ],
                            }
                        ],
                    },
                    {
                        "linkId": "hard",
                        "type": "choice",
                        "repeats": True,
                        "text": t["hard"],
                        "answerOption": [
                            {"valueCoding": {"code": code, "display": t[code]}}
                            for code in ("housing", "money", "children")
                        ],
                    },
                    {
                        "linkId": "most",
                        "type": "choice",
                        "text": t["most"],
                        "extension": [
                            {
                                "url": SDC + "answerExpression",
                                "valueExpression": fhirpath(answer_of.format("hard")),
                            }
                        ],
                    },
                ],
            },
            {
                "linkId": "end",
                "type": "group",
                "text": t["end"],
                "item": [{"linkId": "notes", "type": "text", "text": t["notes"]}],
            },
        ],
    }
