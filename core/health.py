"""The probes a load balancer, a process manager and Prometheus ask: ``/healthz``, ``/readyz``, ``/metrics``.

- ``/healthz`` is liveness: the process answers. It touches nothing else (no database), so a slow database or
  a worker pool busy with slow requests never makes a process manager restart healthy servers all at once.
- ``/readyz`` is readiness: this server can serve now. The database answers, every migration of this release is
  applied, the media storage takes a file, and the task worker keeps up (no task ready to run has waited
  longer than ``READYZ_TASK_BACKLOG_SECONDS``: a stopped or overwhelmed worker means mail is not going out).
  JSON with each check, and for a failed check that can say one, a reason without content; 503 when one
  fails. Point the load balancer here.
- ``/metrics`` is Prometheus' (core.observability.metrics), only for the configured addresses.

Probes come by IP address: the load balancer sends the backend's own address as ``Host``, which is not in
``ALLOWED_HOSTS``. :class:`ProbeMiddleware`, first in ``MIDDLEWARE``, answers these three paths itself before
any middleware reads the host (``CommonMiddleware``, CSRF, the HTTPS redirect), so they get their answer and
not a 400 with a logged ``DisallowedHost``. That is safe because nothing in these answers is built from the
Host header (no absolute URL, no redirect, no page that could be cached under another host's name); every
other path still goes through the host check.
"""

import logging
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from core.observability import metrics
from core.uploads import private_storage

logger = logging.getLogger(__name__)

OK = "ok"
FAIL = "fail"
# Once every migration is applied, this process does not look again for this long: the check loads every
# migration file, and a release's set of migrations does not shrink while it runs.
MIGRATIONS_RECHECK_SECONDS = 60.0
_migrations_ok_at: float | None = None


@require_safe
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness: 200 whenever the process can answer. No database, no host check."""
    return HttpResponse("ok\n", content_type="text/plain")


def check_database() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        row = cursor.fetchone()
    return row is not None and tuple(row) == (1,)


def check_migrations() -> bool:
    """Whether the database has every migration this release's code knows (none unapplied)."""
    global _migrations_ok_at
    now = time.monotonic()
    if _migrations_ok_at is not None and now - _migrations_ok_at < MIGRATIONS_RECHECK_SECONDS:
        return True
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    _migrations_ok_at = None if pending else now
    return not pending


def check_storage() -> bool:
    """Whether the default (media) storage and the private one (uploaded attachments, ``core.uploads``) each
    take a small file and give it back; the files are deleted again."""
    for storage in (default_storage, private_storage):
        name = storage.save(f"readyz/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
        try:
            with storage.open(name) as stored:
                if stored.read() != b"ok":
                    return False
        finally:
            storage.delete(name)
    return True


class NotReady(Exception):
    """A check failed for a reason worth telling the load balancer's operator (figures only, no content)."""


def oldest_ready_task_age() -> float | None:
    """Seconds the oldest task that is ready to run has waited for a worker (since it was enqueued, or since
    its ``run_after`` for a deferred one); None when none waits or tasks are not stored in the database."""
    from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
    from django_tasks_db import DatabaseBackend
    from django_tasks_db.models import DBTaskResult, get_date_max

    if not isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend):
        return None
    ready = DBTaskResult.objects.ready().order_by()
    since = [
        ready.filter(run_after=get_date_max()).order_by("enqueued_at").values_list("enqueued_at", flat=True).first(),
        ready.exclude(run_after=get_date_max()).order_by("run_after").values_list("run_after", flat=True).first(),
    ]
    waiting = [moment for moment in since if moment is not None]
    if not waiting:
        return None
    return max(0.0, (timezone.now() - min(waiting)).total_seconds())


def check_tasks() -> bool:
    """Whether the task worker keeps up: no ready task older than ``READYZ_TASK_BACKLOG_SECONDS``."""
    age = oldest_ready_task_age()
    limit = float(settings.READYZ_TASK_BACKLOG_SECONDS)
    if age is not None and age > limit:
        raise NotReady(f"oldest ready task has waited {age:.0f} s (limit {limit:.0f} s)")
    return True


CHECKS: dict[str, Callable[[], bool]] = {
    "database": check_database,
    "migrations": check_migrations,
    "storage": check_storage,
    "tasks": check_tasks,
}


def run_check(name: str, check: Callable[[], bool], reasons: dict[str, str]) -> str:
    try:
        passed = check()
    except NotReady as not_ready:
        reasons[name] = str(not_ready)
        logger.warning("readyz: %s check failed (%s)", name, not_ready)
        return FAIL
    except Exception as exc:  # any failure of a dependency is "not ready", never a 500
        logger.warning("readyz: %s check failed (%s)", name, type(exc).__name__)
        return FAIL
    if not passed:
        logger.warning("readyz: %s check failed", name)
    return OK if passed else FAIL


@require_safe
@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: ``{"status": "ok", "checks": {"database": "ok", ...}}``, 503 with ``"fail"`` when any fails.
    Says which check failed; ``"reasons"`` only for a check that measures something (the task backlog's age),
    never an error's text (that is in the server's log, by class name)."""
    reasons: dict[str, str] = {}
    results = {name: run_check(name, check, reasons) for name, check in CHECKS.items()}
    ready = all(result == OK for result in results.values())
    body: dict[str, object] = {"status": OK if ready else FAIL, "checks": results}
    if reasons:
        body["reasons"] = reasons
    return JsonResponse(body, status=200 if ready else 503)


PROBES: dict[str, Callable[[HttpRequest], HttpResponse]] = {
    "/healthz": healthz,
    "/readyz": readyz,
    "/metrics": metrics,
}


class ProbeMiddleware:
    """Answers the probe paths itself, before any other middleware reads the Host header (see the module's
    docstring). Placed first in ``MIDDLEWARE``; the same views are in the URL configuration too, for
    ``reverse()``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        probe = PROBES.get(request.path_info)
        if probe is None:
            return self.get_response(request)
        response = probe(request)
        response["X-Content-Type-Options"] = "nosniff"
        return response
