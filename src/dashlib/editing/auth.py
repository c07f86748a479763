"""The editor's sign-in on a shared deployment (pure: no streamlit import).

- **The password as a hash.** ``DASHLIB_EDITOR_PASSWORD_HASH`` (or ``editor_password_hash`` in
  ``.streamlit/secrets.toml``) holds ``scrypt$N$r$p$salt$hash`` (salt and hash in base64),
  made by ``python -m dashlib.editing.auth`` (asks for the password twice). The plain
  ``DASHLIB_EDITOR_PASSWORD`` still works for a laptop; a deployment should store only the hash.
- **Throttling per client.** :class:`SignInThrottle` counts failures per client (the reader's
  address as the balancer forwards it): after each failure that client must wait before
  trying again (0.25 s doubling, at most :data:`MAX_DELAY_S`). A refused attempt is answered
  at once, with the wait — no server thread sleeps, and other editors are not slowed down.
  One throttle per process: behind the balancer a client sticks to one replica.
- **Editor off the public replicas.** ``DASHLIB_EDITOR=off`` removes the editor page whatever
  the password settings (``deploy/serve.py`` starts the public replicas so; the editor runs on
  its own replica and port).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass

MAX_DELAY_S = 8.0
SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
MAX_CLIENTS = 10_000  # remembered clients; the oldest are forgotten (bounded memory)


def editor_enabled(environ: Mapping[str, str] | None = None) -> bool:
    """False when ``DASHLIB_EDITOR`` is off/0/false/no (a public replica)."""
    value = (environ if environ is not None else os.environ).get("DASHLIB_EDITOR", "")
    return value.strip().lower() not in ("off", "0", "false", "no")


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """``scrypt$N$r$p$salt$hash`` for ``password`` (hashlib.scrypt, 16-byte random salt)."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    key = hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32
    )
    b64 = base64.b64encode
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${b64(salt).decode()}${b64(key).decode()}"


def is_hash(stored: str) -> bool:
    return stored.startswith("scrypt$") and stored.count("$") == 5


def verify_password(attempt: str, stored: str) -> bool:
    """True when ``attempt`` matches ``stored`` (a scrypt hash, or a plain password)."""
    if not is_hash(stored):
        return hmac.compare_digest(attempt.encode("utf-8"), stored.encode("utf-8"))
    try:
        _, n, r, p, salt, expected = stored.split("$")
        key = hashlib.scrypt(
            attempt.encode("utf-8"),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(base64.b64decode(expected)),
            maxmem=256 * 1024 * 1024,
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(key, base64.b64decode(expected))


def backoff(failures: int) -> float:
    """Seconds a client waits after ``failures`` failed attempts in a row."""
    return 0.0 if failures <= 0 else min(MAX_DELAY_S, 0.25 * 2 ** (failures - 1))


@dataclass
class _Client:
    failures: int = 0
    not_before: float = 0.0


class SignInThrottle:
    """Failed sign-ins per client; :meth:`wait` says how long a client must still wait."""

    def __init__(self, max_clients: int = MAX_CLIENTS) -> None:
        self._clients: OrderedDict[str, _Client] = OrderedDict()
        self._lock = threading.Lock()
        self._max = max_clients

    def wait(self, client: str, now: float | None = None) -> float:
        now = time.monotonic() if now is None else now
        with self._lock:
            entry = self._clients.get(client)
            return max(0.0, entry.not_before - now) if entry else 0.0

    def failed(self, client: str, now: float | None = None) -> float:
        """Record a failure; the wait before this client's next attempt."""
        now = time.monotonic() if now is None else now
        with self._lock:
            entry = self._clients.pop(client, None) or _Client()
            entry.failures += 1
            delay = backoff(entry.failures)
            entry.not_before = now + delay
            self._clients[client] = entry
            while len(self._clients) > self._max:
                self._clients.popitem(last=False)
            return delay

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._clients.pop(client, None)

    def failures(self, client: str) -> int:
        with self._lock:
            entry = self._clients.get(client)
            return entry.failures if entry else 0


def client_key(headers: Mapping[str, str], address: str | None, fallback: str) -> str:
    """Who is signing in: the first X-Forwarded-For address (set by our balancer), else the
    socket's address, else ``fallback`` (the session). Behind a balancer that does not set
    the header, every client shares the balancer's address: configure ``option forwardfor``.
    """
    lowered = {k.lower(): v for k, v in headers.items()}
    forwarded = lowered.get("x-forwarded-for", "").split(",")[0].strip()
    return forwarded or address or fallback


def main() -> int:
    import getpass

    first = getpass.getpass("Editor password: ")
    if len(first) < 10:
        print("Use at least 10 characters.")
        return 1
    if getpass.getpass("Again: ") != first:
        print("The two passwords differ.")
        return 1
    print(hash_password(first))
    print("Store it as DASHLIB_EDITOR_PASSWORD_HASH (or editor_password_hash in secrets.toml).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
