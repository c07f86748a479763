"""The browser kaleido renders images with: Debian's Chromium, found, never downloaded."""

from __future__ import annotations

import os
import shutil

DEFAULT_BROWSER = "/usr/bin/chromium"
INSTALL_HINT = "apt-get install -y chromium"


class ChromiumMissing(RuntimeError):
    """No browser for kaleido."""


def find_browser() -> str | None:
    """Chromium for kaleido: ``$BROWSER_PATH`` if set (it must exist), else Debian's
    /usr/bin/chromium, else what choreographer finds on PATH. Never downloads one."""
    env = os.environ.get("BROWSER_PATH")
    if env:
        return env if os.path.isfile(env) and os.access(env, os.X_OK) else None
    if os.access(DEFAULT_BROWSER, os.X_OK):
        return DEFAULT_BROWSER
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None
