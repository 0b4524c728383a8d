"""A form with SDC expressions both outside and inside a repeating group, in bokmål and English, for the
browser journey of issue 18 (tests/browser/test_intake_children_expression_journeys.py).

The first step has a calculated score (two scored questions, ordinalValue), a follow-up question an
enableWhenExpression shows when the score is 3 or more, and the children as a repeating group: each child's
name and age, the years until the child turns 18 (a calculatedExpression per instance) and the school (an
enableWhenExpression per instance: only for a child of 6 or more). After the group, a question about
childcare that an enableWhenExpression shows when two or more children are named. The second step has notes."""

from tests.intake.expression_form import SDC, fhirpath, scored_question

VARIABLE = "http://hl7.org/fhir/StructureDefinition/variable"

TEXTS = {
    "nb": {
        "title": "Kartlegging med barn",
        "family": "Familie",
        "sleep": "Hvor ofte sover personen dårlig?",
        "worry": "Hvor ofte er personen redd?",
        "never": "Aldri",
        "sometimes": "Noen ganger",
        "often": "Ofte",
        "score": "Poengsum",
        "follow-up": "Hva trenger personen mest nå?",
        "child": "Barn",
        "child-name": "Fornavn",
        "child-age": "Alder",
        "child-years": "År til barnet fyller 18",
        "child-school": "Skole",
        "childcare": "Hvem kan passe barna?",
        "end": "Avslutning",
        "notes": "Notater",
    },
    "en": {
        "title": "Screening with children",
        "family": "Family",
        "sleep": "How often does the person sleep badly?",
        "worry": "How often is the person afraid?",
        "never": "Never",
        "sometimes": "Sometimes",
        "often": "Often",
        "score": "Score",
        "follow-up": "What does the person need most now?",
        "child": "Child",
        "child-name": "First name",
        "child-age": "Age",
        "child-years": "Years until the child turns 18",
        "child-school": "School",
        "childcare": "Who can look after the children?",
        "end": "End",
        "notes": "Notes",
    },
}

# The children named so far: a blank instance counts for nothing.
NAMED_CHILDREN = "%resource.repeat(item).where(linkId='child' and item.where(linkId='child-name').answer.exists())"


def _extension(kind: str, expression: str) -> list[dict]:
    return [{"url": SDC + kind, "valueExpression": fhirpath(expression)}]


def children_expression_form(language: str = "nb") -> dict:
    t = TEXTS[language]

    def text(link_id: str, kind: str = "string", **more) -> dict:
        return {"linkId": link_id, "type": kind, "text": t[link_id], **more}

    return {
        "resourceType": "Questionnaire",
        "url": "https://krisestotte.no/fhir/Questionnaire/children-expression-test",
        "name": "children-expression-test",
        "title": t["title"],
        "status": "active",
        "language": language,
        "extension": [
            {
                "url": VARIABLE,
                "valueExpression": fhirpath("%resource.repeat(item).where(linkId='score').answer.value", name="score"),
            }
        ],
        "item": [
            {
                "linkId": "family",
                "type": "group",
                "text": t["family"],
                "item": [
                    scored_question(t, "sleep"),
                    scored_question(t, "worry"),
                    text(
                        "score",
                        "integer",
                        extension=_extension(
                            "calculatedExpression",
                            "%resource.repeat(item).where(linkId in ('sleep' | 'worry')).answer.value.ordinal().sum()",
                        ),
                    ),
                    text("follow-up", extension=_extension("enableWhenExpression", "%score >= 3")),
                    {
                        "linkId": "child",
                        "type": "group",
                        "text": t["child"],
                        "repeats": True,
                        "extension": [
                            {
                                "url": VARIABLE,
                                "valueExpression": fhirpath("item.where(linkId='child-age').answer.value", name="age"),
                            },
                            {
                                "url": "http://hl7.org/fhir/StructureDefinition/questionnaire-maxOccurs",
                                "valueInteger": 4,
                            },
                        ],
                        "item": [
                            text("child-name"),
                            text("child-age", "integer"),
                            text("child-years", "integer", extension=_extension("calculatedExpression", "18 - %age")),
                            text("child-school", extension=_extension("enableWhenExpression", "%age >= 6")),
                        ],
                    },
                    text(
                        "childcare",
                        extension=_extension("enableWhenExpression", NAMED_CHILDREN + ".count() >= 2"),
                    ),
                ],
            },
            {"linkId": "end", "type": "group", "text": t["end"], "item": [text("notes", "text")]},
        ],
    }
