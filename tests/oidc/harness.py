"""A real OpenID Connect provider for the tests: `oidc-provider` (npm, certified) run by node on loopback.

``tests/oidc/provider/`` holds its package.json and package-lock.json (``npm ci`` there installs it; .ci's
system-packages script does that for CI) and ``provider.mjs``, which prints its issuer once it listens. The
test accounts (``kari`` with a second factor, ``ola`` without, ``ukjent`` whom the app does not know,
``ulla`` whose e-mail address the provider does not vouch for) all have the password ``test-password``.
"""

import contextlib
import json
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests

from sso.config import OidcProvider

PROVIDER_DIR = Path(__file__).resolve().parent / "provider"
CLIENT_ID = "krisestotte"
CLIENT_SECRET = "test-client-secret-that-is-long-enough"
PASSWORD = "test-password"
KEY = "testid"
NAME = "Test-ID"


def node_or_skip() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the single sign-on tests need it to run the oidc-provider package")
    if not (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        pytest.fail(
            f"oidc-provider is not installed: run `npm ci` in {PROVIDER_DIR} (.ci/system-packages.sh test does)"
        )
    return node


@contextlib.contextmanager
def running_provider(site_urls: list[str]) -> Iterator[str]:
    """Start the provider with our callback and post-logout addresses under each of ``site_urls``; yield its
    issuer; stop it afterwards."""
    node = node_or_skip()
    env = {
        "PATH": "/usr/bin:/bin",
        "REDIRECT_URIS": ",".join(f"{url}/sso/{KEY}/callback/" for url in site_urls),
        "POST_LOGOUT_REDIRECT_URIS": ",".join(f"{url}/login/" for url in site_urls),
    }
    process = subprocess.Popen(
        [node, "provider.mjs"],
        cwd=PROVIDER_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        line: list[str] = []
        reader = threading.Thread(target=lambda: line.append(process.stdout.readline()), daemon=True)  # type: ignore[union-attr]
        reader.start()
        reader.join(timeout=20)
        if not line or not line[0].strip():
            raise RuntimeError("the test OpenID Connect provider did not start within 20 seconds")
        yield json.loads(line[0])["issuer"]
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def provider_config(issuer: str, **overrides) -> OidcProvider:
    """The test provider as a deployment would configure it: its `amr` value "mfa" counts as a second factor."""
    values = {
        "key": KEY,
        "name": NAME,
        "issuer": issuer,
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "mfa_amr": frozenset({"mfa"}),
        **overrides,
    }
    return OidcProvider(**values)


def log_in_at_provider(authorize_url: str, username: str, *, site_url: str) -> str:
    """As a browser would: open the provider's login page, log in as ``username``, follow its redirects until
    they lead back to ``site_url``; return that address (our callback with the code and state)."""
    session = requests.Session()
    page = session.get(authorize_url, timeout=10)
    page.raise_for_status()
    action = re.search(r'action="([^"]+)"', page.text)
    assert action, f"no login form at the provider: {page.text[:300]}"
    response = session.post(
        urljoin(page.url, action.group(1)),
        data={"login": username, "password": PASSWORD},
        allow_redirects=False,
        timeout=10,
    )
    for _hop in range(10):
        location = response.headers.get("location", "")
        assert response.is_redirect, f"the provider answered {response.status_code}: {response.text[:300]}"
        target = urljoin(response.url, location)
        if urlsplit(target).netloc == urlsplit(site_url).netloc:
            return target
        response = session.get(target, allow_redirects=False, timeout=10)
    raise AssertionError("the provider never sent the browser back")
