"""Virus scanning of uploaded files with ClamAV's daemon, clamd, over its INSTREAM protocol.

Configured by ``CLAMD_SOCKET`` (a unix socket path) or ``CLAMD_HOST`` and ``CLAMD_PORT`` (TCP). With neither,
nothing is scanned and every file is marked "not scanned" (``Verdict.NOT_SCANNED``), which the pages show.
With a scanner configured that does not answer, ``ScannerUnavailable`` is raised: the caller refuses the
upload rather than storing an unscanned file where scanning was promised.

The protocol is small (docs/architecture.md says why this is not a PyPI client): send ``zINSTREAM\\0``, then
chunks each prefixed by a 4-byte big-endian length, then a zero length; clamd answers
``stream: OK\\0`` or ``stream: <signature> FOUND\\0`` (or ``... ERROR``).
"""

import socket
import struct
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings

CHUNK = 64 * 1024
TIMEOUT_SECONDS = 30


class Verdict(StrEnum):
    CLEAN = "clean"
    INFECTED = "infected"
    NOT_SCANNED = "not_scanned"


@dataclass(frozen=True)
class ScanResult:
    verdict: Verdict
    signature: str = ""


class ScannerUnavailable(Exception):
    """A scanner is configured, but it did not answer or answered with an error."""


def scanner_configured() -> bool:
    return bool(getattr(settings, "CLAMD_SOCKET", "") or getattr(settings, "CLAMD_HOST", ""))


def _connect() -> socket.socket:
    path = getattr(settings, "CLAMD_SOCKET", "")
    if path:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(TIMEOUT_SECONDS)
        sock.connect(path)
        return sock
    return socket.create_connection((settings.CLAMD_HOST, int(settings.CLAMD_PORT)), timeout=TIMEOUT_SECONDS)


def _receive(sock: socket.socket) -> str:
    data = b""
    while not data.endswith(b"\0"):
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return data.rstrip(b"\0").decode("utf-8", "replace").strip()


def scan_bytes(data: bytes) -> ScanResult:
    """Scan ``data``. NOT_SCANNED when no scanner is configured; ScannerUnavailable when it does not answer."""
    if not scanner_configured():
        return ScanResult(Verdict.NOT_SCANNED)
    try:
        with _connect() as sock:
            sock.sendall(b"zINSTREAM\0")
            for start in range(0, len(data), CHUNK):
                chunk = data[start : start + CHUNK]
                sock.sendall(struct.pack("!L", len(chunk)) + chunk)
            sock.sendall(struct.pack("!L", 0))
            answer = _receive(sock)
    except OSError as error:
        raise ScannerUnavailable(str(error)) from error
    # "stream: OK", "stream: Eicar-Test-Signature FOUND", "INSTREAM size limit exceeded. ERROR"
    result = answer.removeprefix("stream:").strip()
    if result == "OK":
        return ScanResult(Verdict.CLEAN)
    if result.endswith(" FOUND"):
        return ScanResult(Verdict.INFECTED, result.removesuffix(" FOUND").strip())
    raise ScannerUnavailable(answer or "no answer")


def ping() -> bool:
    """Whether the configured scanner answers PING (for the readiness probe and the tests)."""
    if not scanner_configured():
        return False
    try:
        with _connect() as sock:
            sock.sendall(b"zPING\0")
            return _receive(sock) == "PONG"
    except OSError:
        return False
