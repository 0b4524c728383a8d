import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from accounts.demo import PERSONAS
from accounts.models import Membership, Unit


def test_seed_demo_is_idempotent_and_prints_the_logins(db, capsys):
    call_command("seed_demo", "--force")
    counts = (Unit.objects.count(), get_user_model().objects.count(), Membership.objects.count())
    call_command("seed_demo", "--force")
    assert (Unit.objects.count(), get_user_model().objects.count(), Membership.objects.count()) == counts
    assert counts == (3, len(PERSONAS), 10)
    out = capsys.readouterr().out
    for persona in PERSONAS:
        assert persona.username in out


def test_seeded_personas_log_in_with_demo_password(client, db, settings):
    call_command("seed_demo", "--force")
    for persona in PERSONAS:
        response = client.post(reverse("login"), {"username": persona.username, "password": settings.DEMO_PASSWORD})
        assert response.status_code == 302, persona.username
        assert response["Location"] == reverse("home")
        client.post(reverse("logout"))


def test_seeded_roles_match_the_issue(db):
    call_command("seed_demo", "--force")
    roles = {(m.user.username, m.unit.kind, m.role) for m in Membership.objects.select_related("user", "unit")}
    assert ("staff", Unit.Kind.UNIVERSITY_SECTION, "staff") in roles
    assert ("manager", Unit.Kind.CRISIS_CENTRE, "manager") in roles
    assert ("manager", Unit.Kind.UNIVERSITY_SECTION, "manager") in roles
    assert get_user_model().objects.get(username="admin").is_superuser


def test_seed_demo_refuses_without_debug(db, settings):
    settings.DEBUG = False  # as in production; --force is what the tests above pass
    with pytest.raises(CommandError, match="Refusing to create demo users"):
        call_command("seed_demo")
    assert not get_user_model().objects.exists()


def test_seed_demo_makes_two_safety_plans_once(db):
    import datetime

    from django.utils import timezone

    from audit.models import AuditEvent
    from safety_plans.demo import DEMO_PLAN_DECLINED, DEMO_PLAN_FROM_INTAKE
    from safety_plans.models import PlanContact, PlanItem, PlanReview, SafetyPlan

    call_command("seed_demo", "--force")

    def state():
        return (
            sorted(SafetyPlan.objects.values_list("pk", "revision", "updated_at", "next_review_on")),
            sorted(PlanItem.objects.values_list("pk", "status", "note", "next_step")),
            PlanContact.objects.count(),
            PlanReview.objects.count(),
            AuditEvent.objects.filter(action__startswith="safety_plan.").count(),
        )

    before = state()
    call_command("seed_demo", "--force")
    assert state() == before

    today = timezone.localdate()
    counsellor = get_user_model().objects.get(username="counsellor")
    linked = SafetyPlan.objects.get(pk=DEMO_PLAN_FROM_INTAKE)
    declined = SafetyPlan.objects.get(pk=DEMO_PLAN_DECLINED)
    assert SafetyPlan.objects.count() == 2
    assert {linked.owner, declined.owner} == {counsellor}
    assert linked.unit == declined.unit == Unit.objects.get(slug="nordby-krisesenter")
    # (a) started from the first demo intake, items in place, one needing help with a next step, reviewed in 7 days
    assert str(linked.intake_id) == "d0000000-0000-4000-8000-000000000001"
    assert linked.contact_channel
    assert linked.items.filter(status=PlanItem.Status.IN_PLACE).count() >= 2
    needs_help = linked.items.get(status=PlanItem.Status.NEEDS_HELP)
    assert needs_help.next_step and needs_help.responsible
    assert linked.next_review_on == today + datetime.timedelta(days=7)
    assert not linked.declined_services and not linked.review_due()
    # (b) no involvement from services, reviewed once (a snapshot), and due again
    assert declined.intake is None
    assert declined.declined_services and declined.declined_services_by == counsellor
    review = declined.reviews.get()
    assert review.snapshot["declined_services"] is True
    assert declined.next_review_on == today - datetime.timedelta(days=1)
    assert declined.review_due()
    # Reachable like any plan: the counsellor and her manager, not a colleague it was not shared with.
    from safety_plans.selectors import plans_for_user

    users = {u.username: u for u in get_user_model().objects.all()}
    assert set(plans_for_user(users["counsellor"])) == {linked, declined}
    assert set(plans_for_user(users["manager"])) == {linked, declined}
    assert not plans_for_user(users["counsellor2"]).exists()
    # Everything was logged like a counsellor's own work, without content.
    assert AuditEvent.objects.filter(action="safety_plan.created").count() == 2
    assert AuditEvent.objects.filter(action="safety_plan.reviewed", target_id=str(declined.pk)).exists()
