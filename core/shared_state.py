"""Where the files and the cache live, from two environment variables (config/settings.py).

``DJANGO_STORAGE_URL`` chooses Django's default storage (the generated PDFs): empty for a folder on this
machine (``DJANGO_MEDIA_ROOT``), or ``s3://`` for an S3-compatible object store that several app servers
share (django-storages). ``DJANGO_CACHE_URL`` chooses the cache: empty for memory in each process, or
``redis://`` / ``rediss://`` / ``unix://`` for one Redis all servers share (Django's own RedisCache with the
``redis`` package, made to fail soft by core/cache.py). docs/deployment.md gives the forms.

Both are parsed here, without touching the network, so a wrong value stops start-up with a message that names
the variable, and the tests can check the parsing on its own.

The stored files are private in either storage: nothing serves them as a web folder, views that check access
stream them, and in an object store every object is written with the ``private`` canned ACL (or none at all, for
buckets whose ACLs are off, which keeps them private to the owner), any URL the storage would make is signed and
short-lived, and no public domain is configured.
"""

from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

FILE_SYSTEM_STORAGE = "django.core.files.storage.FileSystemStorage"
S3_STORAGE = "storages.backends.s3.S3Storage"
LOCMEM_CACHE = "django.core.cache.backends.locmem.LocMemCache"
REDIS_CACHE = "core.cache.FailSoftRedisCache"  # Django's RedisCache; a Redis outage is a cache miss

# Seconds a signed URL lives, should anything ever ask the object store for one (nothing does today: the views
# stream the file themselves).
SIGNED_URL_SECONDS = 60
# Seconds to wait for Redis (connect, and each answer): a Redis that hangs must not hold a worker for long.
REDIS_TIMEOUT_SECONDS = 2

S3_QUERY = {"endpoint", "region", "addressing", "acl"}
S3_ACLS = {"private": "private", "none": None}
S3_ADDRESSING = {"auto", "path", "virtual"}


class SharedStateError(ValueError):
    """A DJANGO_STORAGE_URL or DJANGO_CACHE_URL that cannot be used; the message names the variable."""


def storage_from_url(url: str) -> dict[str, Any]:
    """The ``STORAGES["default"]`` entry for ``DJANGO_STORAGE_URL``.

    Empty: a folder on this machine (``MEDIA_ROOT``; no ``location`` is set, so it follows the setting).
    ``s3://[ACCESS_KEY:SECRET_KEY@]BUCKET[/PREFIX][?endpoint=https://...&region=...&addressing=path&acl=private]``:
    an S3-compatible store. Keys in the URL are percent-encoded; without them boto3 finds its own
    (``AWS_ACCESS_KEY_ID`` and ``AWS_SECRET_ACCESS_KEY``, or the machine's role).
    """
    url = url.strip()
    if not url:
        return {"BACKEND": FILE_SYSTEM_STORAGE}
    parts = urlsplit(url)
    if parts.scheme != "s3":
        raise SharedStateError(
            f"DJANGO_STORAGE_URL must be empty (files in DJANGO_MEDIA_ROOT) or an s3:// address (got scheme "
            f"{parts.scheme or 'none'!r})."
        )
    if not parts.hostname:
        raise SharedStateError("DJANGO_STORAGE_URL needs a bucket name: s3://BUCKET[/PREFIX]?endpoint=...")
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    unknown = sorted(set(query) - S3_QUERY)
    if unknown:
        raise SharedStateError(
            f"DJANGO_STORAGE_URL: unknown option(s) {', '.join(unknown)}; known: {', '.join(sorted(S3_QUERY))}."
        )
    options: dict[str, Any] = {
        # urlsplit lower-cases the host name; bucket names are lower case anyway (S3's naming rules).
        "bucket_name": parts.hostname,
        "location": parts.path.strip("/"),
        # Private, and a second file with a taken name gets a new name instead of replacing the first
        # (routines.pdf_store relies on that, as it does with the file system).
        "default_acl": "private",
        "querystring_auth": True,
        "querystring_expire": SIGNED_URL_SECONDS,
        "custom_domain": None,
        "file_overwrite": False,
        "signature_version": "s3v4",
    }
    if parts.username is not None or parts.password is not None:
        if not parts.username or not parts.password:
            raise SharedStateError("DJANGO_STORAGE_URL: give both keys (s3://ACCESS_KEY:SECRET_KEY@BUCKET) or neither.")
        options["access_key"] = unquote(parts.username)
        options["secret_key"] = unquote(parts.password)
    if endpoint := query.get("endpoint"):
        endpoint_parts = urlsplit(endpoint)
        if endpoint_parts.scheme not in {"http", "https"} or not endpoint_parts.hostname:
            raise SharedStateError(
                f"DJANGO_STORAGE_URL: endpoint must be an http(s) address such as https://s3.example.no (got {endpoint!r})."
            )
        options["endpoint_url"] = endpoint
    if region := query.get("region"):
        options["region_name"] = region
    if addressing := query.get("addressing"):
        if addressing not in S3_ADDRESSING:
            raise SharedStateError(
                f"DJANGO_STORAGE_URL: addressing must be one of {', '.join(sorted(S3_ADDRESSING))} (got {addressing!r})."
            )
        options["addressing_style"] = None if addressing == "auto" else addressing
    if "acl" in query:
        if query["acl"] not in S3_ACLS:
            # Never a public ACL: the files are people's routines and print orders' PDFs, served through views.
            raise SharedStateError(
                f"DJANGO_STORAGE_URL: acl must be private (default) or none (for buckets with ACLs off; objects "
                f"stay private to the bucket's owner) (got {query['acl']!r})."
            )
        options["default_acl"] = S3_ACLS[query["acl"]]
    return {"BACKEND": S3_STORAGE, "OPTIONS": options}


def cache_from_url(url: str) -> dict[str, Any]:
    """The ``CACHES["default"]`` entry for ``DJANGO_CACHE_URL``.

    Empty: memory in each process (Django's default). ``redis://[:PASSWORD@]HOST:PORT/DB``, ``rediss://`` (TLS)
    or ``unix:///path/redis.sock?db=N``: one Redis for every server. Its query string goes to the ``redis``
    package as it is (e.g. ``socket_timeout=5``), except ``key_prefix``, which goes in front of every key (for two
    installations sharing one Redis database).
    """
    url = url.strip()
    if not url:
        return {"BACKEND": LOCMEM_CACHE}
    parts = urlsplit(url)
    if parts.scheme not in {"redis", "rediss", "unix"}:
        raise SharedStateError(
            f"DJANGO_CACHE_URL must be empty (memory in each process) or a redis://, rediss:// or unix:// address "
            f"(got scheme {parts.scheme or 'none'!r})."
        )
    if parts.scheme != "unix" and not parts.hostname:
        raise SharedStateError("DJANGO_CACHE_URL needs a host: redis://HOST:6379/0")
    if parts.scheme != "unix" and parts.path.strip("/"):
        db = parts.path.strip("/")
        if not db.isdigit():
            raise SharedStateError(f"DJANGO_CACHE_URL: the database after the host must be a number (got {db!r}).")
    try:
        parts.port  # noqa: B018 (raises on a port that is no number)
    except ValueError as exc:
        raise SharedStateError(f"DJANGO_CACHE_URL: {exc}.") from exc
    query = parse_qsl(parts.query, keep_blank_values=True)
    key_prefix = next((value for key, value in query if key == "key_prefix"), "")
    rest = urlencode([(k, v) for k, v in query if k != "key_prefix"])
    # Built by hand: urlunsplit would drop the empty host of unix:///path.
    location = f"{parts.scheme}://{parts.netloc}{parts.path}" + (f"?{rest}" if rest else "")
    entry: dict[str, Any] = {
        "BACKEND": REDIS_CACHE,
        "LOCATION": location,
        # Options in the URL's query string win over these (redis-py's from_url).
        "OPTIONS": {"socket_connect_timeout": REDIS_TIMEOUT_SECONDS, "socket_timeout": REDIS_TIMEOUT_SECONDS},
    }
    if key_prefix:
        entry["KEY_PREFIX"] = key_prefix
    return entry
