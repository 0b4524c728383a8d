"""Which incident types a routine's "afterwards" section offers to report, by routine category."""

from incidents.models import IncidentType

CATEGORY_TYPES: dict[str, list[str]] = {
    "violence": [
        IncidentType.VIOLENCE,
        IncidentType.THREAT_IN_PERSON,
        IncidentType.THREAT_EMAIL,
        IncidentType.THREAT_PHONE,
    ],
    "suicide_illness": [IncidentType.SUICIDE_RISK, IncidentType.SERIOUS_ILLNESS],
    "exchange_students": [IncidentType.EXCHANGE_STUDENTS],
}


def types_for_category(category: str) -> list[IncidentType]:
    return [IncidentType(t) for t in CATEGORY_TYPES.get(category, [])]
