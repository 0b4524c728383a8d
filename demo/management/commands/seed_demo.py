from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.demo import CENTRE_A, PERSONAS, UNIVERSITY, seed_demo
from annual_report.demo import seed_demo_statistics
from contacts.demo import seed_demo_contacts
from incidents.demo import seed_incidents
from intake.demo import seed_demo_intakes, seed_intake_trees
from printing.demo import seed_print_orders
from routines.demo import seed_routines
from safety_plans.demo import seed_demo_safety_plans


class Command(BaseCommand):
    help = "Create or update the demo units and personas (idempotent). Refuses in production unless --force."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Create demo users even with DJANGO_DEBUG=0 (never on live data)."
        )

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to create demo users with DJANGO_DEBUG=0: they have a known password. "
                "Use --force only on a test installation."
            )
        result = seed_demo(password=settings.DEMO_PASSWORD)
        routines = seed_routines(owner_unit=result["units"][UNIVERSITY], editor=result["users"]["editor"])
        incidents = seed_incidents(units=result["units"], users=result["users"])
        trees = seed_intake_trees(editor=result["users"]["editor"])
        intakes = seed_demo_intakes(
            counsellor=result["users"]["counsellor"], unit=result["units"][CENTRE_A], tree_version=trees["nb"]
        )
        plans = seed_demo_safety_plans(
            counsellor=result["users"]["counsellor"], unit=result["units"][CENTRE_A], intake=intakes[0]
        )
        seed_demo_contacts(
            counsellor=result["users"]["counsellor"],
            editor=result["users"]["editor"],
            unit=result["units"][CENTRE_A],
            tree_version=trees["nb"],
        )
        last_year = timezone.localdate().year - 1
        for year, residents, day_users in ((last_year, 60, 80), (last_year - 1, 48, 70)):
            seed_demo_statistics(unit=result["units"][CENTRE_A], year=year, residents=residents, day_users=day_users)
        orders = seed_print_orders(units=result["units"], users=result["users"])
        self.stdout.write(
            f"Intake tree published: first-contact ({', '.join(sorted(trees))}); {len(intakes)} demo intakes."
        )
        self.stdout.write(f"{len(plans)} demo safety plans.")
        self.stdout.write(
            f"A demo case with contacts; annual statistics of centre A for {last_year - 1} and {last_year}."
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {len(result['units'])} units, {len(PERSONAS)} personas, "
                f"{len(routines)} routines, {len(incidents)} incident reports, {len(orders)} print orders."
            )
        )
        self.stdout.write(
            f"Log in at http://127.0.0.1:8000/login/ with password {settings.DEMO_PASSWORD!r} (DEMO_PASSWORD) as:"
        )
        for persona in PERSONAS:
            roles = ", ".join(f"{role} @ {unit}" for unit, role in persona.memberships) or "superuser"
            self.stdout.write(f"  {persona.username:<18} {roles}")
