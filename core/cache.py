"""Django's RedisCache, made to fail soft (``DJANGO_CACHE_URL=redis://...``; core/shared_state.py).

What the app caches can always be made again: the rendered fragments of a routine page, and the hourly counts
of password-reset requests. So while Redis cannot be reached (down, restarting, or not answering within the
timeout), a read is a miss, a write is skipped and a warning is logged, instead of every routine page (the
emergency numbers among them) failing with a 500. The pages are then rendered afresh, a little slower; the
password-reset limit counts nothing until Redis is back (each request then counts as the first of its hour).
Nothing is swallowed but the ``redis`` package's own errors.
"""

import logging
from collections.abc import Iterable
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def _unavailable(operation: str, exc: RedisError) -> None:
    # The error's type only: its text can carry the server's address.
    logger.warning("cache unavailable: %s failed (%s); carrying on without it", operation, type(exc).__name__)


class FailSoftRedisCache(RedisCache):
    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        try:
            return bool(super().add(key, value, timeout, version))
        except RedisError as exc:
            _unavailable("add", exc)
            return False

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        try:
            return super().get(key, default, version)
        except RedisError as exc:
            _unavailable("get", exc)
            return default

    def set(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        try:
            super().set(key, value, timeout, version)
        except RedisError as exc:
            _unavailable("set", exc)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        try:
            return bool(super().touch(key, timeout, version))
        except RedisError as exc:
            _unavailable("touch", exc)
            return False

    def delete(self, key: Any, version: int | None = None) -> bool:
        try:
            return bool(super().delete(key, version))
        except RedisError as exc:
            _unavailable("delete", exc)
            return False

    def get_many(self, keys: Iterable[Any], version: int | None = None) -> dict[Any, Any]:
        try:
            return dict(super().get_many(keys, version))
        except RedisError as exc:
            _unavailable("get_many", exc)
            return {}

    def has_key(self, key: Any, version: int | None = None) -> bool:
        try:
            return bool(super().has_key(key, version))
        except RedisError as exc:
            _unavailable("has_key", exc)
            return False

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        try:
            return int(super().incr(key, delta, version))
        except RedisError as exc:
            _unavailable("incr", exc)
            # What Django's caches raise for a key that is not there, which callers already handle.
            raise ValueError(f"Key {key!r} not found (cache unavailable)") from exc

    def set_many(self, data: dict[Any, Any], timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> list[Any]:
        try:
            return list(super().set_many(data, timeout, version))
        except RedisError as exc:
            _unavailable("set_many", exc)
            return list(data)

    def delete_many(self, keys: Iterable[Any], version: int | None = None) -> None:
        try:
            super().delete_many(keys, version)
        except RedisError as exc:
            _unavailable("delete_many", exc)

    def clear(self) -> None:
        try:
            super().clear()
        except RedisError as exc:
            _unavailable("clear", exc)
