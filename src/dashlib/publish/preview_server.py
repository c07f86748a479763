"""Link previews from the app server itself: a page's HTML request gets that page's shell.

``serve_app.py`` (what ``make run``, Docker, Kubernetes and ``make serve`` start) wraps the
app in Streamlit's ``st.App`` with :class:`PreviewMiddleware` and :meth:`Previews.lifespan`.
Pure ASGI and Starlette: no streamlit import.

- A GET or HEAD whose ``Accept`` names ``text/html``, for a public page (``/``, ``/overview``,
  ``/map``, ``/timeline``, ``/excerpts``, ``/about``, ``/corrections``, below
  ``server.baseUrlPath``), is answered with the page's shell (:mod:`dashlib.publish.shells`:
  Streamlit's own ``index.html`` with the page's title, description and Open Graph tags).
  The query string stays in the browser, which runs the app from the shell as from
  Streamlit's page.
- ``/previews/map-social.png`` and ``/previews/timeline-social.png``: the social cards the
  shells name, drawn by kaleido in Chromium in a background thread once the server has
  started (a request that comes first waits for them). Without Chromium, or when drawing
  fails, the shells carry no ``og:image`` (and these paths answer 404).
- Everything else (the websocket, ``/_stcore/*``, scripts, ``/app/static/*``) passes on
  untouched.

The shells follow the data: the files' signature (sizes, modification times) is checked at
every page request, and a new content hash reloads the dataset once, for new descriptions and
new cards (the old ones stay served until then, and when the new files do not validate).

Absolute URLs: ``DASHLIB_PUBLIC_URL`` when set (advised behind a proxy or CDN, so a shell
never names a ``Host`` a client made up); else the request's scheme and ``Host`` header.
Uvicorn sets the scheme from ``X-Forwarded-Proto`` only for trusted proxies
(``FORWARDED_ALLOW_IPS``, default 127.0.0.1); ``X-Forwarded-Host`` is not read.

``DASHLIB_PREVIEWS=off``: Streamlit's own page, no cards. ``DASHLIB_PREVIEWS_DIR``: where the
cards are drawn (replicas on one machine share it: one draws, the others wait on a file lock);
default: a temporary folder of this process.
"""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import tempfile
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from starlette.concurrency import run_in_threadpool
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from dashlib import paths

if TYPE_CHECKING:  # the data stack is imported once the server is up, not before
    from dashlib.data.dataset import Dataset
    from dashlib.publish.shells import PageMeta

PREVIEWS_ENV = "DASHLIB_PREVIEWS"
PUBLIC_URL_ENV = "DASHLIB_PUBLIC_URL"
CARDS_DIR_ENV = "DASHLIB_PREVIEWS_DIR"
CARDS_PATH = "previews"  # the cards' URL folder, below server.baseUrlPath
CARD_WAIT = 120.0  # seconds a card request waits for the drawing
MAX_BASES = 16  # shells kept per data version (one set per public address seen)

log = logging.getLogger(__name__)


@dataclass
class Version:
    """One version of the data: its pages' preview texts and, once drawn, its cards."""

    key: str  # the data's content hash
    metas: list[PageMeta]
    cards: Path | None = None  # the folder holding the drawn cards
    failure: str = ""  # why there are no cards (no Chromium, a drawing error)
    drawn: threading.Event = field(default_factory=threading.Event)

    @property
    def has_image(self) -> bool:
        """Shells name a card unless drawing it failed (while it is drawn, a request for it
        waits)."""
        return not self.failure


class Previews:
    """Shells and social cards for one data folder, recomputed when the data changes."""

    def __init__(
        self,
        data_dir: Path | None = None,
        public_url: str | None = None,
        cards_dir: Path | None = None,
        browser: str | None = None,
        enabled: bool | None = None,
    ) -> None:
        self._data_dir = data_dir
        env_url = os.environ.get(PUBLIC_URL_ENV, "")
        self.public_url = (env_url if public_url is None else public_url).rstrip("/")
        env_dir = os.environ.get(CARDS_DIR_ENV, "")
        self._cards_root = cards_dir or (Path(env_dir) if env_dir else None)
        self._own_root = self._cards_root is None  # a temporary folder, removed at shutdown
        self._browser = browser
        if enabled is None:
            enabled = os.environ.get(PREVIEWS_ENV, "on").lower() not in ("off", "0", "false")
        self.enabled = enabled
        self._lock = threading.Lock()
        self._signature: object = None  # of the files last loaded (or tried)
        self._digest = ""
        self._loading = False
        self._loaded_once = threading.Event()
        self._version: Version | None = None
        self._index: str | None = None
        self._shells: dict[tuple[str, str, bool], dict[str, str]] = {}

    # --- the data ----------------------------------------------------------------------------

    def version(self) -> Version | None:
        """The previews of the data as last loaded; None until it has loaded once (readers
        then get Streamlit's own page). Never waits: a change of the files starts a reload in
        the background, and the last version serves until it is done."""
        from dashlib.data.dataset import files_signature

        with self._lock:
            if not self.enabled:
                return None
            try:
                folder = paths.data_dir(self._data_dir)
                signature = files_signature(folder)
            except OSError as err:
                log.warning("link previews: no data folder (%s)", err)
                return self._version
            if signature != self._signature and not self._loading:
                self._loading = True
                thread = threading.Thread(
                    target=self._load, args=(folder, signature), name="previews", daemon=True
                )
                thread.start()
            return self._version

    def _load(self, folder: Path, signature: object) -> None:
        """Load the data when its content changed, then draw its cards (in this thread)."""
        from dashlib.data.dataset import content_hash, load
        from dashlib.publish.shells import page_meta

        try:
            digest = content_hash(folder)
            if digest != self._digest:
                ds = load(folder)
                version = Version(ds.version, page_meta(ds))
                with self._lock:
                    self._version, self._digest = version, digest
                    self._shells.clear()
                self._loaded_once.set()
                self._draw(ds, version)
        except Exception as err:  # noqa: BLE001 - previews never stop the app serving
            log.warning("link previews: data not loaded (%s); keeping the last", err)
        finally:
            with self._lock:
                self._signature, self._loading = signature, False
            self._loaded_once.set()

    def start(self) -> None:
        """Load the data and draw the cards, in the background."""
        self.version()

    @asynccontextmanager
    async def lifespan(self, _app: object) -> AsyncIterator[None]:
        """For ``st.App(lifespan=...)``: starts the work once the server is up; at shutdown,
        removes the cards' temporary folder."""
        self.start()
        try:
            yield
        finally:
            if self._own_root and self._cards_root is not None:
                shutil.rmtree(self._cards_root, ignore_errors=True)

    # --- the cards ---------------------------------------------------------------------------

    def _draw(self, ds: Dataset, version: Version) -> None:
        from dashlib.publish.browser import ChromiumMissing, find_browser
        from dashlib.publish.shells import write_cards

        try:
            browser = self._browser or find_browser()
            if not browser or not os.access(browser, os.X_OK):
                raise ChromiumMissing("Chromium not found (BROWSER_PATH or /usr/bin/chromium)")
            if self._cards_root is None:
                self._cards_root = Path(tempfile.mkdtemp(prefix="dashlib-previews-"))
            root = self._cards_root
            root.mkdir(parents=True, exist_ok=True)
            folder = root / version.key
            names = sorted({m.image for m in version.metas})
            with open(root / f"{version.key}.lock", "w") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)  # another replica may be drawing these
                if not all((folder / name).is_file() for name in names):
                    scratch = Path(tempfile.mkdtemp(dir=root))
                    try:
                        write_cards(ds, scratch, browser)
                        folder.mkdir(exist_ok=True)
                        for name in names:
                            os.replace(scratch / name, folder / name)
                    finally:
                        shutil.rmtree(scratch, ignore_errors=True)
            version.cards = folder
        except Exception as err:  # noqa: BLE001 - shells without an image, said in the log
            version.failure = str(err) or type(err).__name__
            log.warning("link previews without an image: %s", version.failure)
        finally:
            version.drawn.set()

    def card(self, name: str, wait: float = CARD_WAIT) -> Path | None:
        """The drawn card ``name`` (waiting for the drawing); None when there is none."""
        if self.version() is None:  # just started: the data is loading
            self._loaded_once.wait(wait)
        version = self.version()
        if version is None or name not in {m.image for m in version.metas}:
            return None
        version.drawn.wait(wait)
        return version.cards / name if version.cards is not None else None

    # --- the shells --------------------------------------------------------------------------

    def shell(self, page: str, base_url: str) -> str | None:
        """The shell of ``page`` (its URL path, "" for the default page) naming ``base_url``
        (the public URL wins when set); None when it is no public page or the data never
        loaded."""
        from dashlib.publish.shells import shells_by_path, streamlit_index

        version = self.version()
        if version is None:
            return None
        base = self.public_url or base_url.rstrip("/")
        key = (version.key, base, version.has_image)
        with self._lock:
            shells = self._shells.get(key)
            if shells is None:
                if len(self._shells) >= MAX_BASES:
                    self._shells.clear()
                self._index = self._index or streamlit_index()
                images = f"{base}/{CARDS_PATH}" if version.has_image else None
                shells = shells_by_path(self._index, version.metas, base, images)
                self._shells[key] = shells
        return shells.get(page)


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return ""


class PreviewMiddleware:
    """ASGI middleware answering pages' HTML requests with their shells and serving the
    cards; everything else goes on to ``app``."""

    def __init__(
        self, app: ASGIApp, previews: Previews, base_path: str | Callable[[], str] = ""
    ) -> None:
        self.app = app
        self.previews = previews
        base = (base_path() if callable(base_path) else base_path) or ""
        self.prefix = f"/{base.strip('/')}" if base.strip("/") else ""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] not in ("GET", "HEAD")
            or not self.previews.enabled
        ):
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if not path.startswith(self.prefix + "/"):  # "/reach" too: Streamlit redirects it
            await self.app(scope, receive, send)
            return
        rel = path[len(self.prefix) + 1 :]  # "" for the default page, "map", "previews/…"
        if rel.startswith(f"{CARDS_PATH}/"):
            card = await run_in_threadpool(self.previews.card, rel[len(CARDS_PATH) + 1 :])
            if card is None:
                await PlainTextResponse("No such card", status_code=404)(scope, receive, send)
            else:
                headers = {"Cache-Control": "public, max-age=3600"}
                await FileResponse(card, media_type="image/png", headers=headers)(
                    scope, receive, send
                )
            return
        if "/" in rel or "text/html" not in _header(scope, b"accept").lower():
            await self.app(scope, receive, send)
            return
        host = _header(scope, b"host")
        if not host and scope.get("server"):
            host = "{}:{}".format(*scope["server"])
        base_url = f"{scope['scheme']}://{host}{self.prefix}"
        shell = await run_in_threadpool(self.previews.shell, rel, base_url)
        if shell is None:
            await self.app(scope, receive, send)
            return
        # As Streamlit's own index.html: revalidated, never kept stale by a cache.
        await HTMLResponse(shell, headers={"Cache-Control": "no-cache"})(scope, receive, send)
