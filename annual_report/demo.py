"""A year of invented statistics for a unit (and a smaller year before it, for the comparison), enough that most
cells of the annual report are shown. Written straight into the statistics tables in bulk, as the counting
would have written them, so seeding stays fast; a year already seeded is left as it is."""

import random

from django.db import transaction

from accounts.models import Unit
from annual_report.models import ChildCount, ContactCount, PersonAnswer, PersonCount
from annual_report.pseudonyms import pseudonym_for
from annual_report.services import child_age_group

# (code, weight) per dimension of the shipped registration form; invented, roughly the shape of a centre's year.
DIMENSIONS = {
    "gender": [("woman", 88), ("man", 10), ("other", 2)],
    "age-group": [("18-29", 30), ("30-39", 35), ("40-49", 20), ("50-59", 10), ("60-plus", 5)],
    "immigrant-background": [("none", 45), ("immigrant", 45), ("born-here", 5), ("unknown", 5)],
    "referred-by": [("self", 40), ("police", 25), ("other-service", 25), ("family-friends", 10)],
    "perpetrator-relation": [("partner", 55), ("ex-partner", 25), ("parent", 8), ("other-family", 8), ("other", 4)],
    "earlier-stays": [("none", 60), ("this-centre", 20), ("other-centre", 15), ("unknown", 5)],
}
SEVERAL = {
    "violence-kinds": [("physical", 70), ("threats", 60), ("psychological", 90), ("sexual", 20), ("control", 60)],
    "help-given": [("conversations", 90), ("shelter", 60), ("accompaniment", 40), ("practical", 50), ("children", 30)],
}
WENT_TO = [("own-home", 35), ("back-to-perpetrator", 17), ("family-friends", 25), ("other-shelter", 10), ("other", 8)]


def _pick(rng: random.Random, options):
    return rng.choices([code for code, _w in options], weights=[w for _c, w in options])[0]


@transaction.atomic
def seed_demo_statistics(*, unit: Unit, year: int, residents: int = 60, day_users: int = 80, seed: int = 1) -> bool:
    """Seed ``year`` for ``unit`` unless it has statistics already. Returns whether it seeded."""
    if PersonCount.objects.filter(unit=unit, year=year).exists():
        return False
    rng = random.Random(f"{unit.slug}-{year}-{seed}")
    people, answers = [], []
    for group, count in (("resident", residents), ("day-user", day_users)):
        for i in range(count):
            declined = rng.random() < 0.08
            pseudonym = (
                ""
                if declined
                else pseudonym_for(
                    unit=unit,
                    year=year,
                    birth_year=1950 + i % 50,
                    initials=chr(65 + i // 26 % 26) + chr(65 + i % 26),
                    gender=group,
                )
            )
            person = PersonCount(unit=unit, year=year, group=group, pseudonym=pseudonym)
            people.append(person)
            if declined:
                continue
            for dimension, options in DIMENSIONS.items():
                if rng.random() < 0.95:
                    answers.append(PersonAnswer(person=person, dimension=dimension, code=_pick(rng, options)))
            for dimension, options in SEVERAL.items():
                for code, weight in options:
                    if rng.random() < weight / 100:
                        answers.append(PersonAnswer(person=person, dimension=dimension, code=code))
    PersonCount.objects.bulk_create(people)
    PersonAnswer.objects.bulk_create(answers)
    contacts, children = [], []
    for _ in range(residents + residents // 5):  # some residents stay twice
        days = rng.randint(1, 90)
        contacts.append(ContactCount(unit=unit, year=year, kind="stay", days=days, went_to=_pick(rng, WENT_TO)))
        for _child in range(rng.choice([0, 0, 0, 1, 1, 2, 3])):
            children.append(ChildCount(unit=unit, year=year, age_group=child_age_group(rng.randint(0, 17)), days=days))
    contacts += [ContactCount(unit=unit, year=year, kind="day-visit") for _ in range(day_users * 3)]
    contacts += [ContactCount(unit=unit, year=year, kind="phone") for _ in range(residents * 8)]
    ContactCount.objects.bulk_create(contacts)
    ChildCount.objects.bulk_create(children)
    return True
