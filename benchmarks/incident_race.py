"""Two managers save the same incident report at the same moment, again and again, through a running server.

Each round both load the report's edit form (with its hidden ``version``), then both post different changes
at once (a barrier releases both threads together). Exactly one may win (302 to the report); the other must
get the conflict page (409, with their input kept). After each round the stored report must hold the winner's
data, its version must have grown by one, and the change log must have gained exactly one "edited" entry, by
the winner.

Target: every round has exactly one winner and one detected conflict; nothing silently overwritten.

    .venv/bin/python benchmarks/incident_race.py --base-url http://127.0.0.1:8000 \\
        --database-url postgres://postgres@127.0.0.1:5432/bench --rounds 100

Run from the repository root with the server's environment. Prints ``RESULT {json}`` last; exits 0 when the
target is met, 1 otherwise. Creates a unit, two managers, a reporter and one report, and leaves them.
"""

import argparse
import json
import re
import sys
import threading
import time
import uuid
from html import unescape
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from wizard_load import (
    CSRF_RE,
    PASSWORD,
    Browser,
    Sample,
    TransportError,
    django_setup,
    latency_table,
    run_script,
)

UNIT_SLUG = "load-race-unit"
VERSION_RE = re.compile(r'name="version" value="(\d+)"')


def setup() -> tuple[str, list[str]]:
    """A unit with two managers and a reporter, and one report in it. Returns (report id, manager names)."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from accounts.models import Unit
    from accounts.roles import Role
    from accounts.services import membership_grant
    from incidents.models import IncidentType
    from incidents.services import incident_report

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # no mail leaves this script
    unit, _ = Unit.objects.update_or_create(
        slug=UNIT_SLUG, defaults={"name": "Race unit", "kind": Unit.Kind.CRISIS_CENTRE}
    )
    users = {}
    people = (("load-manager-a", Role.MANAGER), ("load-manager-b", Role.MANAGER), ("load-reporter", Role.STAFF))
    for name, role in people:
        user, _ = get_user_model().objects.update_or_create(username=name, defaults={"is_active": True})
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
        membership_grant(user=user, unit=unit, role=role)
        users[name] = user
    incident, _ = incident_report(
        user=users["load-reporter"],
        form_token=uuid.uuid4(),
        type=IncidentType.choices[0][0],
        occurred_at=timezone.now(),
        unit=unit,
        place="Resepsjonen",
        what_happened="En gjest ble truende i resepsjonen.",
        immediate_actions=[],
    )
    return str(incident.pk), ["load-manager-a", "load-manager-b"]


class Manager:
    def __init__(self, base_url: str, username: str, timeout: float):
        self.browser = Browser(base_url, timeout)
        self.username = username
        self.csrf = ""

    def login(self) -> None:
        page = self.browser.request("GET", "/login/")
        self.csrf = CSRF_RE.search(page.body).group(1)
        answer = self.browser.request(
            "POST",
            "/login/",
            {"username": self.username, "password": PASSWORD, "next": "", "csrfmiddlewaretoken": self.csrf},
        )
        if answer.status != 302:
            raise SystemExit(f"{self.username} could not log in ({answer.status})")

    def load_form(self, path: str) -> tuple[int, dict, float]:
        """GET the edit form: (version, the form's current values, seconds)."""
        started = time.monotonic()
        page = self.browser.request("GET", path)
        seconds = time.monotonic() - started
        if page.status != 200:
            raise RuntimeError(f"edit form answered {page.status}")
        self.csrf = CSRF_RE.search(page.body).group(1)
        kind = re.search(r'<option value="([^"]+)"[^>]*selected', page.body)
        return int(VERSION_RE.search(page.body).group(1)), {"type": unescape(kind.group(1))}, seconds


def changes(round_number: int, who: int) -> dict:
    """What manager ``who`` (0 or 1) writes in this round: different from the other's in every field."""
    letter = "AB"[who]
    return {
        "place": f"Runde {round_number} sted {letter}",
        "what_happened": f"Runde {round_number}: beskrevet av leder {letter}.",
        "affected_students": round_number % 5 + 10 * who,
        "affected_staff": who,
        "affected_others": round_number % 3,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--rounds", type=int, default=100)
    args = parser.parse_args()
    django_setup(args.database_url)
    from incidents.models import Incident, IncidentTransition

    pk, names = setup()
    managers = [Manager(args.base_url.rstrip("/"), name, timeout=30) for name in names]
    for manager in managers:
        manager.login()
    path = f"/incidents/{pk}/edit/"
    barrier = threading.Barrier(2)
    samples: list[Sample] = []
    tally = {
        "single_winner": 0,
        "conflicts_detected": 0,
        "both_won": 0,
        "none_won": 0,
        "errors": 0,
        "overwritten": 0,
        "log_mismatch": 0,
        "input_not_kept": 0,
        "overlapping": 0,
    }
    problems: list[str] = []

    for number in range(1, args.rounds + 1):
        forms = [manager.load_form(path) for manager in managers]
        for _version, _fields, seconds in forms:
            samples.append(Sample("edit_get", 0, seconds, 200, "ok"))
        versions = {version for version, _, _ in forms}
        if len(versions) != 1:
            raise SystemExit(f"round {number}: the two forms show versions {versions}")
        version = versions.pop()
        logged_before = IncidentTransition.objects.filter(incident_id=pk, kind="edited").count()
        results: list = [None, None]
        spans: list = [None, None]

        def post(who: int) -> None:
            data = {
                **forms[who][1],
                **changes(number, who),
                "version": version,
                "csrfmiddlewaretoken": managers[who].csrf,
            }
            barrier.wait()
            started = time.monotonic()
            try:
                results[who] = (managers[who].browser.request("POST", path, data), time.monotonic() - started)
            except TransportError as error:
                results[who] = (error, time.monotonic() - started)
            spans[who] = (started, time.monotonic())

        threads = [threading.Thread(target=post, args=(who,)) for who in (0, 1)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if spans[0][0] < spans[1][1] and spans[1][0] < spans[0][1]:
            tally["overlapping"] += 1  # both requests were at the server at the same time
        statuses = []
        for answer, seconds in results:
            status = answer.status if not isinstance(answer, TransportError) else 0
            statuses.append(status)
            samples.append(Sample("edit_post", 0, seconds, status, "ok" if status in (302, 409) else f"http {status}"))
        winners = [who for who in (0, 1) if statuses[who] == 302]
        losers = [who for who in (0, 1) if statuses[who] == 409]
        if any(s not in (302, 409) for s in statuses):
            tally["errors"] += 1
            problems.append(f"round {number}: statuses {statuses}")
        if len(winners) == 2:
            tally["both_won"] += 1
        elif not winners:
            tally["none_won"] += 1
        elif len(losers) == 1:
            tally["single_winner"] += 1
            tally["conflicts_detected"] += 1
            loser_body = results[losers[0]][0].body
            if changes(number, losers[0])["place"] not in loser_body:
                tally["input_not_kept"] += 1
        stored = Incident.objects.get(pk=pk)
        if len(winners) == 1:
            expected = changes(number, winners[0])
            actual = {key: getattr(stored, key) for key in expected}
            if actual != expected or stored.version != version + 1:
                tally["overwritten"] += 1
                problems.append(
                    f"round {number}: stored {actual} v{stored.version}, winner wrote {expected} on v{version}"
                )
            log = IncidentTransition.objects.filter(incident_id=pk, kind="edited").order_by("-at", "-pk")
            if log.count() != logged_before + 1 or log.first().by.username != names[winners[0]]:
                tally["log_mismatch"] += 1
                problems.append(f"round {number}: change log does not show exactly the winner")

    rounds = args.rounds
    result = {
        "script": "incident_race",
        "target": "every round: exactly one winner, the other gets the conflict; stored = winner's data",
        "rounds": rounds,
        "conflicts_detected": tally["conflicts_detected"],
        **{k: v for k, v in tally.items() if k != "conflicts_detected"},  # overlapping: both in flight at once
        "final_version": Incident.objects.get(pk=pk).version,
        "latency": latency_table(samples, ("edit_get", "edit_post")),
        "problems": problems[:10],
    }
    result["ok"] = (
        tally["conflicts_detected"] == rounds
        and tally["single_winner"] == rounds
        and not any(
            tally[k] for k in ("both_won", "none_won", "errors", "overwritten", "log_mismatch", "input_not_kept")
        )
    )
    print(f"RESULT {json.dumps(result)}")
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    run_script(main, "incident_race")
