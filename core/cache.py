"""Django's RedisCache, made to fail soft (``DJANGO_CACHE_URL=redis://...``; core/shared_state.py).

What the app caches can always be made again: the rendered fragments of a routine page, and the hourly counts
of password-reset requests. So while Redis cannot be reached (down, restarting, or not answering within the
timeout), a read is a miss, a write is skipped and a warning is logged, instead of every routine page (the
emergency numbers among them) failing with a 500. The pages are then rendered afresh, a little slower; the
password-reset limit counts nothing until Redis is back (each request then counts as the first of its hour).
After a failure the process leaves Redis alone for PAUSE_SECONDS, so a Redis that hangs costs one timeout per
pause rather than one per call.
Nothing is swallowed but the ``redis`` package's own errors.
"""

import logging
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# After a failure this process leaves Redis alone for this many seconds: a Redis that accepts connections and
# never answers then costs one timeout (2 s, core.shared_state) per pause, not one per cache call.
PAUSE_SECONDS = 10.0

T = TypeVar("T")


class FailSoftRedisCache(RedisCache):
    _paused_until = 0.0

    def _soft(self, operation: str, call: Callable[[], T], fallback: Callable[[], T]) -> T:
        if time.monotonic() < self._paused_until:
            return fallback()
        try:
            return call()
        except RedisError as exc:
            self._paused_until = time.monotonic() + PAUSE_SECONDS
            # The error's type only: its text can carry the server's address.
            logger.warning(
                "cache unavailable: %s failed (%s); carrying on without it for %.0f s",
                operation,
                type(exc).__name__,
                PAUSE_SECONDS,
            )
            return fallback()

    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._soft(
            "add", lambda: bool(super(FailSoftRedisCache, self).add(key, value, timeout, version)), lambda: False
        )

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._soft("get", lambda: super(FailSoftRedisCache, self).get(key, default, version), lambda: default)

    def set(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        self._soft("set", lambda: super(FailSoftRedisCache, self).set(key, value, timeout, version), lambda: None)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._soft(
            "touch", lambda: bool(super(FailSoftRedisCache, self).touch(key, timeout, version)), lambda: False
        )

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._soft("delete", lambda: bool(super(FailSoftRedisCache, self).delete(key, version)), lambda: False)

    def get_many(self, keys: Iterable[Any], version: int | None = None) -> dict[Any, Any]:
        keys = list(keys)
        return self._soft("get_many", lambda: dict(super(FailSoftRedisCache, self).get_many(keys, version)), dict)

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._soft("has_key", lambda: bool(super(FailSoftRedisCache, self).has_key(key, version)), lambda: False)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        def missing() -> int:
            # What Django's caches raise for a key that is not there, which callers already handle.
            raise ValueError(f"Key {key!r} not found (cache unavailable)")

        return self._soft("incr", lambda: int(super(FailSoftRedisCache, self).incr(key, delta, version)), missing)

    def set_many(self, data: dict[Any, Any], timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> list[Any]:
        return self._soft(
            "set_many",
            lambda: list(super(FailSoftRedisCache, self).set_many(data, timeout, version)),
            lambda: list(data),
        )

    def delete_many(self, keys: Iterable[Any], version: int | None = None) -> None:
        keys = list(keys)
        self._soft("delete_many", lambda: super(FailSoftRedisCache, self).delete_many(keys, version), lambda: None)

    def clear(self) -> None:
        self._soft("clear", lambda: super(FailSoftRedisCache, self).clear(), lambda: None)
