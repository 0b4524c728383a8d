"""Storage and cache from the environment (core/shared_state.py): DJANGO_STORAGE_URL and DJANGO_CACHE_URL.

The S3 settings are checked without any network (the storage is built and signs a URL locally); the Redis
cache is used for real against the Redis on 127.0.0.1:6379, in a database and under a key prefix of the
tests' own, and skipped with the reason when no Redis answers there."""

import socket
import time
import uuid
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache.backends.redis import RedisCache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils.module_loading import import_string

from core.shared_state import (
    FILE_SYSTEM_STORAGE,
    LOCMEM_CACHE,
    REDIS_CACHE,
    S3_STORAGE,
    SharedStateError,
    cache_from_url,
    storage_from_url,
)
from tests.security.test_security import PRODUCTION_ENV, run_manage

REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
# Redis' last default database, kept for the tests: the app's own installations use 0 unless told otherwise.
REDIS_TEST_DB = 15


def _redis_reachable() -> bool:
    try:
        with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


needs_redis = pytest.mark.skipif(
    not _redis_reachable(), reason=f"no Redis answers PING on {REDIS_HOST}:{REDIS_PORT} (start redis-server there)"
)


# --- Storage ----------------------------------------------------------------------------------------------


def test_no_storage_url_keeps_the_local_folder():
    assert storage_from_url("") == {"BACKEND": FILE_SYSTEM_STORAGE}
    assert storage_from_url("  ") == {"BACKEND": FILE_SYSTEM_STORAGE}


def test_an_s3_url_gives_private_signed_never_overwriting_storage():
    entry = storage_from_url(
        "s3://AKIA%2FTEST:s3cr%2Bt%2Fkey@krisestotte-pdfs/prod/media/"
        "?endpoint=https://objects.example.no&region=eu-north-1&addressing=path"
    )
    assert entry["BACKEND"] == S3_STORAGE
    assert entry["OPTIONS"] == {
        "bucket_name": "krisestotte-pdfs",
        "location": "prod/media",
        "default_acl": "private",
        "querystring_auth": True,
        "querystring_expire": 60,
        "custom_domain": None,
        "file_overwrite": False,
        "signature_version": "s3v4",
        "access_key": "AKIA/TEST",
        "secret_key": "s3cr+t/key",
        "endpoint_url": "https://objects.example.no",
        "region_name": "eu-north-1",
        "addressing_style": "path",
    }


def test_an_s3_url_without_keys_leaves_them_to_boto3():
    options = storage_from_url("s3://bucket")["OPTIONS"]
    assert "access_key" not in options and "secret_key" not in options
    assert options["location"] == "" and options["default_acl"] == "private"
    assert "endpoint_url" not in options  # AWS itself


def test_acl_none_is_for_buckets_with_acls_off():
    assert storage_from_url("s3://bucket?acl=none")["OPTIONS"]["default_acl"] is None
    assert storage_from_url("s3://bucket?acl=private")["OPTIONS"]["default_acl"] == "private"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("s3://bucket?acl=public-read", "acl must be private"),
        ("s3://bucket?endpoint=objects.example.no", "endpoint must be an http(s) address"),
        ("s3://bucket?addressing=sideways", "addressing must be one of"),
        ("s3://bucket?custom_domain=cdn.example.no", "unknown option(s) custom_domain"),
        ("s3://onlykey@bucket", "give both keys"),
        ("s3:///prefix", "needs a bucket name"),
        ("file:///srv/media", "must be empty"),
        ("/srv/media", "must be empty"),
    ],
)
def test_a_wrong_storage_url_is_refused_with_the_reason(url, message):
    with pytest.raises(SharedStateError, match="DJANGO_STORAGE_URL") as error:
        storage_from_url(url)
    assert message in str(error.value)


def test_the_s3_storage_is_built_from_the_options_and_signs_every_url_offline():
    """django-storages takes the options as they are; any URL it would make is signed and short-lived, so no
    object is ever reachable by a plain address (the views stream the files themselves anyway)."""
    entry = storage_from_url("s3://KEY:SECRET@krisestotte-pdfs/media?endpoint=http://127.0.0.1:9&addressing=path")
    storage = import_string(entry["BACKEND"])(**entry["OPTIONS"])
    assert storage.default_acl == "private" and storage.file_overwrite is False
    url = storage.url("routine-pdfs/1/folder-nb-abc.pdf")
    parts = urlsplit(url)
    assert parts.path == "/krisestotte-pdfs/media/routine-pdfs/1/folder-nb-abc.pdf"
    query = parse_qs(parts.query)
    assert query["X-Amz-Expires"] == ["60"] and "X-Amz-Signature" in query


def test_the_storage_url_reaches_the_settings_and_a_wrong_one_stops_start_up():
    show = "from django.conf import settings; s = settings.STORAGES['default']; print(s['BACKEND'], s['OPTIONS']['bucket_name'])"
    result = run_manage(
        "shell", "-c", show, env_overrides={**PRODUCTION_ENV, "DJANGO_STORAGE_URL": "s3://pdfs?region=eu-north-1"}
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == f"{S3_STORAGE} pdfs"
    result = run_manage("check", env_overrides={**PRODUCTION_ENV, "DJANGO_STORAGE_URL": "s3://pdfs?acl=public-read"})
    assert result.returncode != 0 and "DJANGO_STORAGE_URL: acl must be private" in result.stderr


def test_stored_files_in_the_local_folder_have_no_web_address(client, settings, tmp_path):
    """MEDIA_URL has no route: a stored PDF's name under /media/ is a 404, for anyone."""
    settings.MEDIA_ROOT = tmp_path
    assert settings.STORAGES["default"] == {"BACKEND": FILE_SYSTEM_STORAGE}
    name = default_storage.save("routine-pdfs/1/folder-nb-0123456789abcdef.pdf", ContentFile(b"%PDF-1.7 private"))
    assert (tmp_path / name).is_file()
    assert client.get(f"{settings.MEDIA_URL}{name}").status_code == 404


# --- Cache ------------------------------------------------------------------------------------------------


def test_no_cache_url_keeps_memory_in_each_process():
    assert cache_from_url("") == {"BACKEND": LOCMEM_CACHE}


def test_a_redis_url_gives_django_s_redis_cache_with_timeouts():
    entry = cache_from_url("redis://:p%40ss@redis.internal:6380/2?key_prefix=krisestotte&health_check_interval=30")
    assert entry == {
        "BACKEND": REDIS_CACHE,
        "LOCATION": "redis://:p%40ss@redis.internal:6380/2?health_check_interval=30",
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        "KEY_PREFIX": "krisestotte",
    }
    assert cache_from_url("rediss://redis.internal")["LOCATION"] == "rediss://redis.internal"
    assert cache_from_url("unix:///run/redis/redis.sock?db=3")["LOCATION"] == "unix:///run/redis/redis.sock?db=3"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("memcached://127.0.0.1:11211", "must be empty"),
        ("redis:///0", "needs a host"),
        ("redis://127.0.0.1:6379/zero", "must be a number"),
        ("redis://127.0.0.1:port/0", "DJANGO_CACHE_URL"),
    ],
)
def test_a_wrong_cache_url_is_refused_with_the_reason(url, message):
    with pytest.raises(SharedStateError, match="DJANGO_CACHE_URL") as error:
        cache_from_url(url)
    assert message in str(error.value)


def test_the_cache_url_reaches_the_settings_and_a_wrong_one_stops_start_up():
    show = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    result = run_manage("shell", "-c", show, env_overrides={**PRODUCTION_ENV})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == LOCMEM_CACHE
    result = run_manage(
        "shell", "-c", show, env_overrides={**PRODUCTION_ENV, "DJANGO_CACHE_URL": "redis://127.0.0.1:6379/0"}
    )
    assert result.stdout.strip().splitlines()[-1] == REDIS_CACHE
    result = run_manage("check", env_overrides={**PRODUCTION_ENV, "DJANGO_CACHE_URL": "memcached://x"})
    assert result.returncode != 0 and "DJANGO_CACHE_URL must be empty" in result.stderr


@needs_redis
def test_two_servers_share_one_redis_cache():
    """Two cache objects (as on two app servers) from one DJANGO_CACHE_URL: what one writes the other reads,
    and the password-reset counter (accounts.forms: add, then incr) counts across both."""
    prefix = f"krisestotte-test-{uuid.uuid4().hex}"
    url = f"redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_TEST_DB}?key_prefix={prefix}"

    def server() -> RedisCache:
        entry = cache_from_url(url)
        backend = import_string(entry["BACKEND"])
        return backend(entry["LOCATION"], {k: v for k, v in entry.items() if k not in {"BACKEND", "LOCATION"}})

    one, two = server(), server()
    assert isinstance(one, RedisCache)
    keys = ["fragment", "reset-count"]
    try:
        one.set("fragment", {"html": "<p>Ring 113</p>"}, timeout=60)
        assert two.get("fragment") == {"html": "<p>Ring 113</p>"}
        assert one.add("reset-count", 0, timeout=60) is True
        assert two.add("reset-count", 0, timeout=60) is False  # the other server's count is kept
        assert one.incr("reset-count") == 1
        assert two.incr("reset-count") == 2
        # The keys are the tests' own: under the prefix, in the tests' database.
        raw = one._cache.get_client(write=False)
        assert raw.connection_pool.connection_kwargs["db"] == REDIS_TEST_DB
        assert sorted(k.decode() for k in raw.keys(f"{prefix}:*")) == sorted(f"{prefix}:1:{key}" for key in keys)
        assert raw.connection_pool.connection_kwargs["socket_timeout"] == 2
    finally:
        one.delete_many(keys)
    assert two.get("fragment") is None


def test_a_redis_that_is_down_is_a_cache_miss_not_an_error_page(client, settings, routines, caplog):
    """Redis down (nothing listens on its port): the routine page, emergency numbers and all, still renders, and
    the password-reset counter carries on (core/cache.py); a failure is logged as a warning."""
    from django.core.cache import cache

    from accounts.forms import rate_allows

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead_port = sock.getsockname()[1]  # closed again when the block ends: connections are refused
    dead = {"default": cache_from_url(f"redis://127.0.0.1:{dead_port}/0")}
    settings.CACHES = dead

    assert cache.get("anything", "fallback") == "fallback"
    assert "cache unavailable: get failed (ConnectionError)" in caplog.text
    cache.set("anything", 1)
    assert cache.add("anything", 1) is False
    with pytest.raises(ValueError):
        cache.incr("anything")
    assert rate_allows("reset:someone@example.org", 5) is True

    settings.CACHES = {"default": {**dead["default"], "KEY_PREFIX": "fresh"}}  # a new cache object: not paused
    caplog.clear()
    response = client.get(reverse("routines:detail", args=["vold-og-trusler"]))
    assert response.status_code == 200
    assert "113" in response.content.decode()  # the emergency numbers are on it
    assert "cache unavailable: get failed (ConnectionError)" in caplog.text  # the page's fragments missed


def test_a_redis_that_never_answers_costs_one_timeout_per_pause(settings, caplog):
    """A Redis that accepts connections and never answers: the first call waits for the 2 s timeout, the calls
    after it (within core.cache.PAUSE_SECONDS) do not wait at all."""
    from django.core.cache import cache

    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)  # the kernel completes the connections; nobody ever reads or answers
        settings.CACHES = {"default": cache_from_url(f"redis://127.0.0.1:{silent.getsockname()[1]}/0")}
        started = time.monotonic()
        assert cache.get("fragment") is None
        first = time.monotonic() - started
        started = time.monotonic()
        for _ in range(20):
            assert cache.get("fragment") is None
            cache.set("fragment", "x")
        after = time.monotonic() - started
    assert 1.5 <= first < 10, first
    assert after < 0.5, after
    assert caplog.text.count("cache unavailable") == 1
    assert "(TimeoutError)" in caplog.text
