"""Load on the intake wizard through a running server: N counsellors log in, start intakes and step through
them, autosaving a few answers on every step as intake.js does, for a given time. Every answer the server
acknowledged is remembered, and afterwards every intake is read back from the database and compared.

Target: zero errors (any 5xx, connection error, timeout or unexpected status; a 409 cannot happen with one
counsellor per intake, so it counts too) and zero lost answers.

Run from the repository root with the server's environment (DATABASE_URL and the DJANGO_* variables), against
a server whose database has the demo's published intake trees (``seed_demo``):

    .venv/bin/python benchmarks/wizard_load.py --base-url http://127.0.0.1:8000 \\
        --database-url postgres://postgres@127.0.0.1:5432/bench --seconds 60 --users 20

Prints ``RESULT {json}`` as its last line; exits 0 when the target is met, 1 otherwise. The users it creates
(``load-counsellor-N``, in a unit of their own) and their intakes are left in the database.

Only the standard library speaks HTTP here (a sync gunicorn worker closes every connection, so there is
nothing to gain from a pooled client). ``faults.py`` imports ``run_load`` and ``verify``.
"""

import argparse
import http.client
import json
import os
import random
import re
import statistics
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "load-test-password-2026"
UNIT_SLUG = "load-test-centre"
EXPECTED = {  # request kind: the status that means it worked
    "login_page": 200,
    "login": 302,
    "intake_list": 200,
    "intake_new": 302,
    "step_get": 200,
    "autosave": 200,
    "step_post": 302,
}
ERROR_PAGE = ("Noe gikk galt", "Something went wrong")  # templates/500.html, nb and en
WORDS = [
    "trygg",
    "bolig",
    "samtale",
    "venninne",
    "jobb",
    "skole",
    "barn",
    "buss",
    "kveld",
    "morgen",
    "redd",
    "rolig",
    "hjelp",
    "snakke",
    "politi",
    "lege",
    "nabo",
    "familie",
    "brev",
    "telefon",
    "avtale",
    "uke",
    "helg",
    "sove",
    "spise",
    "ute",
    "inne",
    "plan",
]


def django_setup(database_url: str) -> None:
    """Django against the server's database, without a connection pool of our own (the threads only speak
    HTTP; the main thread reads and writes through one plain connection)."""
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_DB_POOL"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def create_counsellors(count: int, prefix: str = "load-counsellor") -> list[str]:
    """``count`` counsellors in a unit of their own (created or reset; safe to repeat)."""
    from django.contrib.auth import get_user_model

    from accounts.models import Unit
    from accounts.roles import Role
    from accounts.services import membership_grant

    unit, _ = Unit.objects.update_or_create(
        slug=UNIT_SLUG, defaults={"name": "Load test centre", "kind": Unit.Kind.CRISIS_CENTRE}
    )
    names = []
    for number in range(1, count + 1):
        user, _ = get_user_model().objects.update_or_create(
            username=f"{prefix}-{number}", defaults={"first_name": "Load", "last_name": str(number), "is_active": True}
        )
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
        membership_grant(user=user, unit=unit, role=Role.COUNSELLOR)
        names.append(user.username)
    return names


def published_tree():
    """The bokmål first-contact tree version an intake started now gets (the app's language is bokmål)."""
    from intake.demo import FIRST_CONTACT
    from intake.selectors import current_tree_version

    version = current_tree_version(FIRST_CONTACT, "nb")
    if version is None:
        raise SystemExit("No published first-contact tree: run seed_demo first.")
    return version


# --- HTTP -------------------------------------------------------------------------------------------------


class TransportError(Exception):
    """No HTTP answer: refused, reset, or timed out."""


@dataclass
class Answer:
    status: int
    location: str
    body: str


@dataclass
class Sample:
    kind: str
    started: float  # time.monotonic()
    seconds: float
    status: int  # 0 for no answer
    outcome: str  # "ok", "http <status>", "conflict", "connection", "timeout", "mismatch"


class Browser:
    """Cookies, CSRF and one HTTP request per connection, like a browser talking to a sync worker."""

    def __init__(self, base_url: str, timeout: float):
        parts = urllib.parse.urlsplit(base_url)
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.host, self.port = parts.hostname, parts.port or 80
        self.timeout = timeout
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, data=None, accept: str = "text/html") -> Answer:
        headers = {"Host": f"{self.host}:{self.port}", "Accept": accept, "Connection": "close"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.origin
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        except TimeoutError as error:
            raise TransportError("timeout") from error
        except (OSError, http.client.HTTPException) as error:
            raise TransportError("connection") from error
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        location = response.headers.get("Location", "")
        return Answer(response.status, urllib.parse.urlsplit(location).path if location else "", text)


CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REVISION_RE = re.compile(r'name="revision" value="(\d+)"')
STEP_RE = re.compile(r"^/intake/([0-9a-f-]{36})/step/([^/]+)/$")


# --- What a counsellor types --------------------------------------------------------------------------------


def random_value(tree, item, rng: random.Random):
    """A valid form value for one question (a list for a multiple choice)."""
    from intake.wizard import _limits

    if item.type == "boolean":
        return rng.choice(["true", "false"])
    if item.type in {"choice", "open-choice"}:
        codes = [o["code"] for o in tree.options(item)]
        if item.repeats:
            return rng.sample(codes, rng.randint(1, min(3, len(codes))))
        return rng.choice(codes)
    if item.type in {"string", "text"}:
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 12 if item.type == "text" else 4)))
        return text[: item.raw.get("maxLength") or len(text)].strip() or "ja"
    low, high = _limits(item)
    if item.type in {"integer", "decimal"}:
        low = 0 if low is None else low
        high = low + 20 if high is None else high
        return str(rng.randint(int(low), int(high)))
    if item.type == "date":
        import datetime

        low = low or datetime.date(2020, 1, 1)
        high = high or datetime.date(2026, 1, 1)
        return (low + datetime.timedelta(days=rng.randint(0, (high - low).days))).isoformat()
    raise ValueError(item.type)


def step_answers(tree, step, rng: random.Random, previous: dict | None = None, share: float = 1.0) -> dict:
    """Form data for every question on the step (what a counsellor who answered everything sends), with a
    ``share`` of them given new random values and the rest kept from ``previous``."""
    from intake.wizard import field_name, step_questions

    data = dict(previous or {})
    for item in step_questions(step):
        name = field_name(item)
        if name not in data or rng.random() < share:
            data[name] = random_value(tree, item, rng)
    return data


def apply_save(tree, step, answers: dict, data: dict) -> dict:
    """The intake's answers after the server accepted ``data`` for ``step``: what intake_save_step stores,
    from what the autosave view (or a valid step form) takes from the form."""
    from intake.evaluator import prune
    from intake.wizard import autosave_values, step_form_class

    form = step_form_class(tree, step)(data)
    form.is_valid()
    values, _ = autosave_values(tree, step, form, answers)
    step_ids = {item.link_id for item in tree.items if item.is_question and item.step.link_id == step.link_id}
    merged = {k: v for k, v in answers.items() if k not in step_ids}
    merged.update({k: v for k, v in values.items() if k in step_ids and v})
    return prune(tree, merged)[0]


# --- Virtual counsellors ------------------------------------------------------------------------------------


@dataclass
class Draft:
    """What one counsellor knows of one intake: the answers and revision the server last acknowledged, and,
    when a write got no clear answer, what that write would have made of them (either may be stored)."""

    pk: str
    owner: str
    answers: dict = field(default_factory=dict)
    revision: int = 0
    uncertain: dict | None = None
    uncertain_revision: int | None = None
    acknowledged_saves: int = 0


@dataclass
class Run:
    samples: list[Sample] = field(default_factory=list)
    drafts: list[Draft] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)

    def problem(self, text: str) -> None:
        with self.lock:
            if len(self.problems) < 50:
                self.problems.append(text)


class Counsellor(threading.Thread):
    def __init__(
        self,
        run: Run,
        base_url: str,
        username: str,
        tree,
        deadline: float,
        stop: threading.Event,
        seed: int,
        think: float,
        timeout: float,
    ):
        super().__init__(name=username, daemon=True)
        self.run_, self.username, self.tree, self.deadline, self.stop = run, username, tree, deadline, stop
        self.browser = Browser(base_url, timeout)
        self.rng = random.Random(seed)
        self.think = think
        self.csrf = ""
        self.logged_in = False

    def done(self) -> bool:
        return self.stop.is_set() or time.monotonic() >= self.deadline

    def pause(self, seconds: float) -> None:
        self.stop.wait(max(0.0, min(seconds, self.deadline - time.monotonic())))

    def call(self, kind: str, method: str, path: str, data=None, accept: str = "text/html") -> Answer | None:
        """One request, recorded. None when it did not get the expected answer (recorded as what it got)."""
        if data is not None:
            data = {**data, "csrfmiddlewaretoken": self.csrf}
        started = time.monotonic()
        try:
            answer = self.browser.request(method, path, data, accept)
        except TransportError as error:
            self.run_.add(Sample(kind, started, time.monotonic() - started, 0, str(error)))
            return None
        seconds = time.monotonic() - started
        if answer.status != EXPECTED[kind]:
            outcome = "conflict" if answer.status == 409 else f"http {answer.status}"
            if answer.status >= 500 and not any(marker in answer.body for marker in ERROR_PAGE):
                outcome += " (not our error page)"
            self.run_.add(Sample(kind, started, seconds, answer.status, outcome))
            if answer.status == 302 and "/login/" in answer.location:
                self.logged_in = False
            return None
        self.run_.add(Sample(kind, started, seconds, answer.status, "ok"))
        token = CSRF_RE.search(answer.body)
        if token:
            self.csrf = token.group(1)
        return answer

    def login(self) -> bool:
        self.browser.cookies.clear()
        if self.call("login_page", "GET", "/login/") is None:
            return False
        answer = self.call("login", "POST", "/login/", {"username": self.username, "password": PASSWORD, "next": ""})
        # Logging in rotates the CSRF secret: the next form needs a token from a page after it.
        self.logged_in = answer is not None and self.call("intake_list", "GET", "/intake/") is not None
        return self.logged_in

    def run(self) -> None:
        while not self.done():
            if not self.logged_in and not self.login():
                self.pause(0.5)
                continue
            # A CSRF token for the "new intake" button: the last page's, or the login page's.
            answer = self.call("intake_new", "POST", "/intake/new/", {})
            match = STEP_RE.match(answer.location) if answer else None
            if not match:
                if answer:
                    self.run_.problem(f"intake_new went to {answer.location}")
                self.pause(0.5)
                continue
            draft = Draft(pk=match.group(1), owner=self.username)
            with self.run_.lock:
                self.run_.drafts.append(draft)
            self.fill(draft, answer.location)

    def fill(self, draft: Draft, path: str) -> None:
        """Step through one intake until its review page (or time is up, or something failed: then this
        intake is left as it is, and verified as it is)."""
        steps = {s.link_id: s for s in self.tree.steps}
        while not self.done():
            match = STEP_RE.match(path)
            if not match:
                return  # the review page: this intake is done
            step = steps[match.group(2)]
            page = self.call("step_get", "GET", path)
            if page is None:
                return
            shown = REVISION_RE.search(page.body)
            if not shown or int(shown.group(1)) != draft.revision:
                self.run_.add(Sample("step_get", time.monotonic(), 0, page.status, "mismatch"))
                self.run_.problem(
                    f"{draft.pk}: page shows revision {shown and shown.group(1)}, expected {draft.revision}"
                )
                return
            data = step_answers(self.tree, step, self.rng, share=self.rng.uniform(0.2, 0.7))
            autosave_path = f"{path}autosave/"
            for _ in range(self.rng.randint(1, 3)):
                self.pause(self.rng.uniform(0, 2 * self.think))
                if self.done():
                    return
                data = step_answers(self.tree, step, self.rng, data, share=0.3)
                after = apply_save(self.tree, step, draft.answers, data)
                answer = self.write(
                    draft,
                    "autosave",
                    autosave_path,
                    {**data, "revision": draft.revision},
                    after,
                    accept="application/json",
                )
                if answer is None:
                    return
                saved = json.loads(answer.body)
                expected_revision = draft.revision + (1 if after != draft.answers else 0)
                if not saved.get("saved") or saved.get("revision") != expected_revision:
                    self.run_.add(Sample("autosave", time.monotonic(), 0, answer.status, "mismatch"))
                    self.run_.problem(f"{draft.pk}: autosave answered {saved}, expected revision {expected_revision}")
                    return
                self.acknowledge(draft, after, expected_revision)
            self.pause(self.rng.uniform(0, 2 * self.think))
            if self.done():
                return
            data = step_answers(self.tree, step, self.rng, data, share=0.2)
            after = apply_save(self.tree, step, draft.answers, data)
            answer = self.write(draft, "step_post", path, {**data, "revision": draft.revision, "action": "next"}, after)
            if answer is None:
                return
            self.acknowledge(draft, after, draft.revision + (1 if after != draft.answers else 0))
            path = answer.location

    def write(self, draft: Draft, kind: str, path: str, data: dict, after: dict, accept: str = "text/html"):
        """A save: while it is under way, the draft may end up as before or as after it."""
        draft.uncertain = after
        draft.uncertain_revision = draft.revision + (1 if after != draft.answers else 0)
        answer = self.call(kind, "POST", path, data, accept)
        if answer is not None:
            draft.uncertain = draft.uncertain_revision = None
        return answer

    def acknowledge(self, draft: Draft, answers: dict, revision: int) -> None:
        draft.answers, draft.revision = answers, revision
        draft.acknowledged_saves += 1


def run_load(
    base_url: str,
    usernames: list[str],
    tree,
    seconds: float,
    *,
    stop: threading.Event | None = None,
    think: float = 0.25,
    timeout: float = 30.0,
    seed: int = 2026,
    run: Run | None = None,
) -> Run:
    """Run the counsellors for ``seconds`` (or until ``stop`` is set) and return what happened (into ``run``,
    if given, so another thread can watch it fill)."""
    run = run or Run()
    stop = stop or threading.Event()
    deadline = time.monotonic() + seconds
    threads = [
        Counsellor(run, base_url, name, tree, deadline, stop, seed + number, think, timeout)
        for number, name in enumerate(usernames)
    ]
    for thread in threads:
        thread.start()
        time.sleep(0.05)  # do not log everyone in within the same millisecond
    for thread in threads:
        thread.join(timeout + seconds + 60)
    return run


# --- Reading back -------------------------------------------------------------------------------------------


@dataclass
class Verified:
    intakes: int
    answers_checked: int
    lost_answers: int
    wrong_revisions: int
    half_saved: int  # intakes whose stored answers are neither the acknowledged ones nor the whole last save
    in_doubt_intakes: int
    in_doubt_saved: int  # of those, how many hold the unacknowledged save (all of it)
    details: list[str]


def _differences(stored: dict, expected: dict) -> int:
    return sum(1 for key in set(stored) | set(expected) if stored.get(key) != expected.get(key))


def verify(drafts: list[Draft]) -> Verified:
    """Every intake as stored against what its counsellor was told. An intake whose last write got no answer
    may hold that write, whole, or not at all; anything else is a loss (or a half-saved record)."""
    from django.db import connections

    from intake.models import Intake

    connections.close_all()  # a connection from before a database restart is dead
    stored = {str(i.pk): i for i in Intake.objects.filter(pk__in=[d.pk for d in drafts])}
    lost = wrong_revision = half = in_doubt = in_doubt_saved = checked = 0
    details = []
    for draft in drafts:
        intake = stored.get(draft.pk)
        if intake is None:
            lost += len(draft.answers)
            details.append(f"{draft.pk}: missing")
            continue
        checked += len(draft.answers)
        if draft.uncertain is not None:
            in_doubt += 1
            if intake.answers == draft.uncertain and intake.revision == draft.uncertain_revision:
                in_doubt_saved += 1
                continue
            if intake.answers != draft.answers:
                half += 1
                lost += _differences(intake.answers, draft.answers)
                details.append(f"{draft.pk}: neither the acknowledged answers nor the whole last save")
                continue
        differences = _differences(intake.answers, draft.answers)
        if differences:
            lost += differences
            details.append(f"{draft.pk}: {differences} answers differ from the acknowledged ones")
        if intake.revision != draft.revision:
            wrong_revision += 1
            details.append(f"{draft.pk}: revision {intake.revision}, acknowledged {draft.revision}")
    return Verified(len(drafts), checked, lost, wrong_revision, half, in_doubt, in_doubt_saved, details[:20])


def latency_table(samples: list[Sample], kinds=EXPECTED) -> dict:
    """Median and p95 milliseconds per request kind, of the requests that got an HTTP answer."""
    table = {}
    for kind in kinds:
        times = sorted(s.seconds * 1000 for s in samples if s.kind == kind and s.status and s.outcome != "mismatch")
        if times:
            table[kind] = {
                "count": len(times),
                "median_ms": round(statistics.median(times), 1),
                "p95_ms": round(times[min(len(times) - 1, int(0.95 * len(times)))], 1),
            }
    return table


def count_outcomes(samples: list[Sample]) -> dict:
    outcomes: dict[str, int] = {}
    for sample in samples:
        if sample.outcome != "ok":
            outcomes[sample.outcome] = outcomes.get(sample.outcome, 0) + 1
    return outcomes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--think", type=float, default=0.25, help="mean pause between a counsellor's saves, s")
    args = parser.parse_args()
    django_setup(args.database_url)
    usernames = create_counsellors(args.users)
    version = published_tree()
    from intake.questionnaire import Tree

    tree = Tree(version.questionnaire)
    started = time.monotonic()
    run = run_load(args.base_url.rstrip("/"), usernames, tree, args.seconds, think=args.think)
    elapsed = time.monotonic() - started
    verified = verify(run.drafts)
    from intake.models import Intake

    other_version = Intake.objects.filter(pk__in=[d.pk for d in run.drafts]).exclude(tree_version=version).count()
    outcomes = count_outcomes(run.samples)
    errors = sum(outcomes.values())
    result = {
        "script": "wizard_load",
        "target": "0 errors and 0 lost answers",
        "users": args.users,
        "seconds": round(elapsed, 1),
        "requests": len(run.samples),
        "requests_per_second": round(len(run.samples) / elapsed, 1),
        "errors": errors,
        "error_kinds": outcomes,
        "conflicts": outcomes.get("conflict", 0),
        "intakes": verified.intakes,
        "acknowledged_saves": sum(d.acknowledged_saves for d in run.drafts),
        "answers_checked": verified.answers_checked,
        "lost_answers": verified.lost_answers + verified.wrong_revisions + other_version,
        "latency": latency_table(run.samples),
        "problems": (run.problems + verified.details)[:10],
    }
    result["ok"] = errors == 0 and result["lost_answers"] == 0 and verified.intakes > 0
    print(f"RESULT {json.dumps(result)}")
    return 0 if result["ok"] else 1


def run_script(main, name: str) -> None:
    """Run a load script's ``main`` so that the orchestrator always gets one ``RESULT`` line, even when the
    script stops with a message or an exception."""
    try:
        sys.exit(main())
    except SystemExit as error:
        if not isinstance(error.code, int | None):  # a message: still one RESULT line for the orchestrator
            print(f"RESULT {json.dumps({'script': name, 'ok': False, 'error': str(error.code)[:300]})}")
        raise
    except Exception as error:
        print(f"RESULT {json.dumps({'script': name, 'ok': False, 'error': repr(error)[:300]})}")
        raise


if __name__ == "__main__":
    run_script(main, "wizard_load")
