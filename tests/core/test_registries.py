"""core's registries: what they accept and refuse, and what the apps registered from their ready()."""

from datetime import datetime, timedelta

import pytest
from django.db.models import QuerySet
from django.utils import timezone

from core.auditing import ACTIONS, RECORD_TYPES, Action, ActionCatalogue, Kind, RecordType, RecordTypes
from core.home import HOME_SECTIONS, Card, HomeSection
from core.registry import AlreadyRegistered, Registry
from core.retention import PURGERS, Cutoffs, Purger, Purgers


def test_a_registry_keeps_order_and_refuses_an_entry_twice():
    registry: Registry[str] = Registry("letters")
    assert registry.register("b") == "b"
    registry.register("a")
    assert list(registry) == ["b", "a"] and len(registry) == 2
    with pytest.raises(AlreadyRegistered):
        registry.register("a")
    assert "letters: 2 entries" in repr(registry)


def test_the_action_catalogue_refuses_a_code_twice():
    catalogue = ActionCatalogue()
    catalogue.register_all({"thing.viewed": Action("Opened a thing", Kind.VIEWED)})
    assert "thing.viewed" in catalogue and catalogue.codes() == ["thing.viewed"]
    with pytest.raises(AlreadyRegistered):
        catalogue.register("thing.viewed", Action("Again", Kind.VIEWED))


def test_record_types_are_one_per_model_in_their_order():
    types = RecordTypes("test types")
    types.register(RecordType(model="a.late", label="late", order=20, pages_in="a"))
    types.register(RecordType(model="b.early", label="early", order=10))
    assert [t.model for t in types] == ["b.early", "a.late"]
    assert types.get("a.late").label == "late" and types.get("c.none") is None
    assert types.for_pages_in("a").model == "a.late" and types.for_pages_in("b") is None
    with pytest.raises(AlreadyRegistered):
        types.register(RecordType(model="a.late", label="again"))


def test_purgers_are_one_per_kind_in_their_order():
    purgers = Purgers("test purgers")

    def purger(kind: str, order: int) -> Purger:
        return Purger(kind, "delete", order, (), expired=lambda c: QuerySet(), purge=lambda rows, c: 0, covers=())

    purgers.register(purger("second", 2))
    purgers.register(purger("first", 1))
    assert [p.kind for p in purgers] == ["first", "second"]
    with pytest.raises(AlreadyRegistered):
        purgers.register(purger("first", 3))


def test_cutoffs_are_now_less_the_period():
    now = timezone.make_aware(datetime(2026, 3, 1, 12))
    assert Cutoffs(now=now, days={"thing_days": 10}).before("thing_days") == now - timedelta(days=10)


# --- What the apps registered ---------------------------------------------------------------------------------


def test_the_apps_registered_their_purgers_in_the_order_the_run_prints():
    assert [(p.kind, p.verb) for p in PURGERS] == [
        ("intake_drafts", "delete"),
        ("case_contacts", "delete"),
        ("registrations", "delete"),
        ("intakes", "delete"),
        ("safety_plans", "delete"),
        ("incidents", "anonymise"),
        ("exercises", "delete"),
    ]


def test_the_home_sections_come_in_the_page_order():
    names = [s.name for s in sorted(HOME_SECTIONS, key=lambda s: s.order)]
    assert names == [
        "routines",
        "incidents",
        "intakes",
        "safety plans",
        "units",
        "annual report",
        "routine editor",
        "exercises",
        "print orders",
        "access log",
        "administration",
        "password",
        "preferences",
        "two-factor login",
    ]


def test_cards_for_asks_every_section_in_order(monkeypatch):
    from core import home

    sections: Registry[HomeSection] = Registry("test sections")
    sections.register(HomeSection(order=20, cards=lambda user: [Card("B", "b", "/b")]))
    sections.register(HomeSection(order=10, cards=lambda user: [Card("A", "a", "/a")]))
    sections.register(HomeSection(order=30, cards=lambda user: []))
    monkeypatch.setattr(home, "HOME_SECTIONS", sections)
    assert [card.title for card in home.cards_for(object())] == ["A", "B"]


def test_the_reviewed_record_types_and_their_pages():
    assert [t.model for t in RECORD_TYPES.reviewed()] == [
        "intake.intake",
        "safety_plans.safetyplan",
        "incidents.incident",
    ]
    assert RECORD_TYPES.get("incidents.incident").unit_members_own_it
    assert not RECORD_TYPES.get("intake.intake").unit_members_own_it
    assert {app: RECORD_TYPES.for_pages_in(app).model for app in ("intake", "safety_plans", "incidents")} == {
        "intake": "intake.intake",
        "safety_plans": "safety_plans.safetyplan",
        "incidents": "incidents.incident",
    }


def test_every_registered_action_has_a_kind_of_the_catalogue():
    assert len(ACTIONS) >= 50
    assert all(action.kind in Kind.values for _code, action in ACTIONS.items())
