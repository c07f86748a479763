"""Replicas behind HAProxy, for real: `deploy/serve.py` starts 2 Streamlit processes and the
balancer on free loopback ports; the tests check cookie affinity with one client address,
health checks, a killed replica leaving rotation within seconds, and stop-by-pid.

Needs Debian's haproxy (`.ci/run` installs it); skipped without it, failing under CI=1.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tools.browser import BROWSER_ACCEPT, fetch, page_head

from conftest import FIXTURES, REPO

SERVE = REPO / "deploy" / "serve.py"
HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"

if not Path(HAPROXY).exists():
    if os.environ.get("CI"):
        raise RuntimeError("haproxy is missing: .ci/run installs it (apt-get install haproxy)")
    pytest.skip("haproxy is not installed (apt-get install -y haproxy)", allow_module_level=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def get(url: str, cookie: str | None = None) -> tuple[int, dict[str, str]]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, {k.lower(): v for k, v in response.headers.items()}


class Cluster:
    def __init__(self, run_dir: Path, port: int) -> None:
        self.run_dir, self.port = run_dir, port
        self.url = f"http://127.0.0.1:{port}"

    @property
    def state(self) -> dict[str, object]:
        loaded: dict[str, object] = json.loads((self.run_dir / "state.json").read_text())
        return loaded

    def replica_pid(self, name: str) -> int:
        replicas = self.state["replicas"]
        assert isinstance(replicas, dict)
        return int(replicas[name]["pid"])

    def stat(self) -> dict[str, str]:
        """Each server's status (UP/DOWN) from HAProxy's admin socket."""
        with socket.socket(socket.AF_UNIX) as sock:
            sock.connect(str(self.run_dir / "haproxy.sock"))
            sock.sendall(b"show stat\n")
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
        lines = data.decode().splitlines()
        header = lines[0].lstrip("# ").split(",")
        out = {}
        for line in lines[1:]:
            row = dict(zip(header, line.split(","), strict=False))
            if row.get("pxname") == "replicas" and row.get("svname", "").startswith("r"):
                out[row["svname"]] = row["status"]
        return out


def serve(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SERVE), *args],
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
        cwd=REPO,
    )


def start(
    run_dir: Path, port: int, *extra: str, replicas: int = 2, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``serve.py start`` with ``replicas`` replicas behind a balancer on ``port``."""
    args = ["--replicas", str(replicas), "--port", str(port), "--run-dir", str(run_dir)]
    return serve("start", *args, *extra, env=env)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    run_dir = tmp_path_factory.mktemp("run")
    port = free_port()
    started = start(run_dir, port, "--timeout", "120")
    assert started.returncode == 0, started.stdout + started.stderr
    try:
        yield Cluster(run_dir, port)
    finally:
        serve("stop", "--run-dir", str(run_dir))


def test_pid_files_and_health(cluster: Cluster) -> None:
    names = sorted(p.name for p in cluster.run_dir.glob("*.pid"))
    assert names == ["balancer.pid", "replica-1.pid", "replica-2.pid"]
    status, _ = get(cluster.url + "/_stcore/health")
    assert status == 200
    assert cluster.stat() == {"r1": "UP", "r2": "UP"}


def test_new_readers_are_spread_and_each_sticks_to_its_replica(cluster: Cluster) -> None:
    """Every request comes from 127.0.0.1: address hashing would send all to one replica."""
    first = [get(cluster.url + "/")[1] for _ in range(6)]
    served = [h["x-dashlib-replica"] for h in first]
    assert set(served) == {"r1", "r2"}
    for headers in first:
        cookie = headers["set-cookie"].split(";")[0]
        assert cookie.startswith("DASHLIB_REPLICA=")
        for _ in range(5):
            _, again = get(cluster.url + "/_stcore/health", cookie=cookie)
            assert again["x-dashlib-replica"] == headers["x-dashlib-replica"]
            assert "DASHLIB_REPLICA" not in again.get("set-cookie", "")  # "indirect"


def test_cookie_is_http_only_and_not_cached(cluster: Cluster) -> None:
    _, headers = get(cluster.url + "/")
    assert "httponly" in headers["set-cookie"].lower()
    assert "no-cache" in headers.get("cache-control", "")  # "nocache": CDNs don't keep it


def shells_ready(cluster: Cluster, timeout: float = 60.0) -> None:
    """Each replica loads the data for its previews in the background once it is healthy:
    wait until both answer /about with its preview (a bounded wait)."""
    deadline = time.monotonic() + timeout
    for replica in ("r1", "r2"):
        title = "Streamlit"
        while title == "Streamlit" and time.monotonic() < deadline:
            request = urllib.request.Request(
                cluster.url + "/about",
                headers={"Accept": BROWSER_ACCEPT, "Cookie": f"DASHLIB_REPLICA={replica}"},
            )
            with urllib.request.urlopen(request, timeout=20) as response:
                assert response.headers["X-Dashlib-Replica"] == replica
                title = page_head(response.read()).title
            time.sleep(0.2)
        assert title.startswith("About the data"), (replica, title)


def test_each_pages_html_request_gets_its_link_preview(cluster: Cluster) -> None:
    """Every replica answers a page's HTML request with its preview, through the balancer: a
    robot asking for /map (Accept: text/html, no JavaScript) reads the map's own title,
    description and image; the image is there (drawn once, in run/previews/)."""
    from dashlib.data.dataset import load
    from dashlib.publish.shells import page_meta

    shells_ready(cluster)  # both replicas answer previews
    metas = page_meta(load(REPO / "data"))
    canonical = {m.file: m.path for m in reversed(metas)}  # "/" and "/overview": one page
    for meta in metas:
        query = "?country=UKR&date=2014-03-18" if meta.path == "map" else ""
        status, headers, body = fetch(f"{cluster.url}/{meta.path}{query}", BROWSER_ACCEPT)
        page = page_head(body)
        assert status == 200 and headers["content-type"].startswith("text/html"), meta.path
        assert page.title == meta.title != "Streamlit", meta.path
        assert page.meta["description"] == meta.description, meta.path
        assert page.meta["og:image"] == f"{cluster.url}/previews/{meta.image}"
        assert page.meta["og:url"] == f"{cluster.url}/{canonical[meta.file]}"
        assert b"<script" in body  # Streamlit's own app script: the page still runs
        status, headers, image = fetch(page.meta["og:image"], "image/*")
        assert status == 200 and image.startswith(b"\x89PNG"), page.meta["og:image"]
    assert sorted(p.name for p in (cluster.run_dir / "previews").glob("*/*.png")) == [
        "map-social.png",
        "timeline-social.png",
    ]  # one set of cards for every replica
    # Anything that is not a page's HTML request still reaches Streamlit.
    _, headers, body = fetch(cluster.url + "/map", None)
    assert page_head(body).title == "Streamlit" and "x-dashlib-replica" in headers
    _, _, body = fetch(cluster.url + "/nowhere", BROWSER_ACCEPT)
    assert page_head(body).title == "Streamlit"


@pytest.mark.browser
def test_a_deep_link_served_from_its_shell_still_draws(cluster: Cluster) -> None:
    from playwright.sync_api import sync_playwright

    from tools.browser import CHROMIUM, CHROMIUM_ARGS

    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not found")
    shells_ready(cluster)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            tab = browser.new_page(viewport={"width": 1280, "height": 900})
            response = tab.goto(cluster.url + "/map?country=UKR")
            assert response is not None and "x-dashlib-replica" in response.headers
            assert "Map of Russian deployments" in response.text()  # the shell answered
            chart = tab.locator('[data-testid="stPlotlyChart"] .main-svg').first
            chart.wait_for(state="visible", timeout=90_000)
            tab.wait_for_function(
                "[...document.querySelectorAll('.gtitle')].some(t => /Ukraine/.test("
                "t.textContent))",
                timeout=60_000,
            )
            assert "country=UKR" in tab.url
            og = tab.locator('meta[property="og:image"]').get_attribute("content")
            assert og == f"{cluster.url}/previews/map-social.png"
        finally:
            browser.close()


def test_readers_over_websockets_through_the_balancer(cluster: Cluster) -> None:
    """The load test's readers (websocket upgrade through HAProxy, four redraws each) on both
    replicas, no errors; each reader's websocket went where its cookie said."""
    from bench.loadtest import run_round

    servers = {"r1": cluster.replica_pid("r1"), "r2": cluster.replica_pid("r2")}
    result = asyncio.run(run_round(cluster.url, 6, servers))
    assert result["errors"] == 0 and result["readers_finished"] == 6, result["error_samples"]
    assert result["servers"]["r1"]["connections"] == result["servers"]["r2"]["connections"] == 3
    assert all(s["rss_mb"] and s["cpu_s"] is not None for s in result["servers"].values())


def test_a_killed_replica_leaves_rotation_within_seconds(cluster: Cluster) -> None:
    """Last in this module: it kills r1."""
    os.kill(cluster.replica_pid("r1"), signal.SIGKILL)
    killed = time.monotonic()
    while cluster.stat()["r1"].startswith("UP") and time.monotonic() - killed < 15:
        time.sleep(0.1)
    took = time.monotonic() - killed
    assert cluster.stat()["r1"].startswith("DOWN"), cluster.stat()
    assert took < 5.0, f"r1 left rotation after {took:.1f} s"
    # New readers all go to r2; readers of r1 (their cookie) are redispatched, not failed.
    for _ in range(6):
        status, headers = get(cluster.url + "/")
        assert status == 200 and headers["x-dashlib-replica"] == "r2"
    status, headers = get(cluster.url + "/_stcore/health", cookie="DASHLIB_REPLICA=r1")
    assert status == 200 and headers["x-dashlib-replica"] == "r2"


def test_stop_ends_every_process_by_pid(tmp_path: Path) -> None:
    run_dir = tmp_path / "run"
    port = free_port()
    started = start(  # link previews are the module cluster's (it draws cards in Chromium)
        run_dir, port, "--no-previews", "--public-url", "https://reach.example.org", replicas=1
    )
    assert started.returncode == 0, started.stderr
    pids = [int(p.read_text()) for p in run_dir.glob("*.pid")]
    assert len(pids) == 2
    # The replica got both settings; with previews off, Streamlit's own page answers.
    replica = int((run_dir / "replica-1.pid").read_text())
    environ = Path(f"/proc/{replica}/environ").read_bytes().split(b"\0")
    assert b"DASHLIB_PUBLIC_URL=https://reach.example.org" in environ
    assert b"DASHLIB_PREVIEWS=off" in environ
    _, _, body = fetch(f"http://127.0.0.1:{port}/map", BROWSER_ACCEPT)
    assert page_head(body).title == "Streamlit"
    stopped = serve("stop", "--run-dir", str(run_dir))
    assert stopped.returncode == 0
    assert not list(run_dir.glob("*.pid"))
    for pid in pids:
        assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text()
    with pytest.raises(OSError):
        get(f"http://127.0.0.1:{port}/_stcore/health")


def test_start_refuses_when_already_running(cluster: Cluster) -> None:
    again = start(cluster.run_dir, free_port(), replicas=1)
    assert again.returncode == 1 and "serve-stop" in again.stderr


# --- One dataset across replicas ------------------------------------------------------------


def draw(url: str, page: str, replica: str) -> bytes:
    """What ``replica`` sends for ``page`` (through the balancer, with its cookie)."""
    from bench.loadtest import fetch_page

    served, blob, problems = asyncio.run(fetch_page(url, page, cookie=f"DASHLIB_REPLICA={replica}"))
    assert served == replica and not problems, (served, problems)
    return blob


@pytest.fixture(scope="module")
def shared_data(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Cluster, Path]]:
    """2 replicas reading one data folder (as pods mounting one volume)."""
    folder = tmp_path_factory.mktemp("shared") / "data"
    shutil.copytree(FIXTURES / "valid", folder)
    run_dir = tmp_path_factory.mktemp("run-shared")
    port = free_port()
    env = {**os.environ, "DASHLIB_DATA_DIR": str(folder)}
    started = start(run_dir, port, "--no-previews", env=env)
    assert started.returncode == 0, started.stdout + started.stderr
    try:
        yield Cluster(run_dir, port), folder
    finally:
        serve("stop", "--run-dir", str(run_dir))


def test_a_save_on_one_replica_is_seen_by_every_replica(
    shared_data: tuple[Cluster, Path],
) -> None:
    """The editor's save (here: the editing module, as the editor replica runs it) changes
    the shared files; both replicas show the new data on their next page view."""
    from dashlib.editing.save import read_table, save_table

    cluster, folder = shared_data
    for replica in ("r1", "r2"):
        assert b"Test event one" in draw(cluster.url, "timeline", replica)
        assert b"Renamed across replicas" not in draw(cluster.url, "corrections", replica)
    frame, digest = read_table(folder, "events")
    frame.loc[frame["event_id"] == "ev-one", "title"] = "Renamed across replicas"
    saved = time.monotonic()
    result = save_table(folder, "events", frame, editor="Ana", expected_digest=digest)
    assert result.saved
    for replica in ("r1", "r2"):
        timeline = draw(cluster.url, "timeline", replica)
        assert b"Renamed across replicas" in timeline and b"Test event one" not in timeline
        assert b"Renamed across replicas" in draw(cluster.url, "corrections", replica)
    assert time.monotonic() - saved < 10


def test_the_editor_only_on_its_own_port(tmp_path: Path) -> None:
    """`--editor-port`: the public replicas have no editor page even with a password set;
    the editor replica, behind its own frontend, has it."""
    from bench.loadtest import fetch_page
    from dashlib.editing.auth import hash_password

    run_dir, port, editor_port = tmp_path / "run", free_port(), free_port()
    folder = tmp_path / "data"
    shutil.copytree(FIXTURES / "valid", folder)
    env = {
        **os.environ,
        "DASHLIB_DATA_DIR": str(folder),
        "DASHLIB_EDITOR_PASSWORD_HASH": hash_password("s3cret-pass"),
    }
    args = ["--replicas", "1", "--port", str(port), "--editor-port", str(editor_port)]
    args.append("--no-previews")
    started = serve("start", *args, "--run-dir", str(run_dir), env=env)
    assert started.returncode == 0, started.stdout + started.stderr
    try:
        assert (run_dir / "editor.pid").exists()
        _, public, problems = asyncio.run(fetch_page(f"http://127.0.0.1:{port}", "editor"))
        assert b"Editor password" not in public and problems == ["page not found"]
        _, editor, problems = asyncio.run(fetch_page(f"http://127.0.0.1:{editor_port}", "editor"))
        assert b"Editor password" in editor and not problems
    finally:
        serve("stop", "--run-dir", str(run_dir))
    assert not list(run_dir.glob("*.pid"))
