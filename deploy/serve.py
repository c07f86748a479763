"""Start or stop N Streamlit replicas behind HAProxy, in the background (``make serve``).

    python deploy/serve.py start [--replicas N] [--port 8080] [--run-dir run]
    python deploy/serve.py stop [--run-dir run]
    python deploy/serve.py status [--run-dir run]

``start`` picks a free loopback port for each replica, starts ``streamlit run serve_app.py``
on it (``run/replica-N.pid``, log in ``run/replica-N.log``), writes ``run/haproxy.cfg`` from
``deploy/haproxy.cfg.template``, checks it with ``haproxy -c``, starts HAProxy
(``run/balancer.pid``) and returns once the balancer answers ``/_stcore/health``. The public
replicas never offer the editor (``DASHLIB_EDITOR=off``); with ``--editor-port`` one more
replica with the editor switched on listens behind its own frontend on that port.

Link previews: every replica answers a page's HTML request with its own title, description
and ``og:image`` (``dashlib.publish.preview_server``); the social cards are drawn once, by
one replica, in ``run/previews/``. ``--public-url`` is the address they name
(``DASHLIB_PUBLIC_URL``; default: the ``Host`` each request names); ``--no-previews`` serves
Streamlit's own page (``DASHLIB_PREVIEWS=off``).

``stop`` ends exactly the processes named by the pid files (after checking that each pid
still runs the program it was started as) and removes the files. Standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import string
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TEMPLATE = REPO / "deploy" / "haproxy.cfg.template"
COOKIE = "DASHLIB_REPLICA"
HEALTH = "/_stcore/health"


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


def healthy(url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def render_config(
    *,
    port: int,
    replicas: list[tuple[str, int]],
    bind: str = "127.0.0.1",
    editor: tuple[int, int] | None = None,
    cookie_attrs: str = "",
    stats_socket: str = "/tmp/dashlib-haproxy.sock",
) -> str:
    """The HAProxy configuration: ``replicas`` are (name, port); ``editor`` (public, replica)."""
    servers = "\n".join(
        f"    server {name} 127.0.0.1:{rport} cookie {name}" for name, rport in replicas
    )
    editor_section = ""
    if editor is not None:
        public, rport = editor
        editor_section = (
            "# The editor: one replica with the editor switched on, on its own port. Expose it\n"
            "# only to the newsroom (VPN, office addresses, or an authenticating proxy).\n"
            "frontend editors\n"
            f"    bind {bind}:{public}\n"
            "    default_backend editor\n\n"
            "backend editor\n"
            "    option httpchk GET /_stcore/health\n"
            "    http-check expect status 200\n"
            f"    server editor 127.0.0.1:{rport} check inter 2s fall 2 rise 2\n"
        )
    text = string.Template(TEMPLATE.read_text(encoding="utf-8")).substitute(
        bind_address=bind,
        port=port,
        cookie_name=COOKIE,
        cookie_attrs=f" {cookie_attrs}" if cookie_attrs else "",
        servers=servers,
        editor_section=editor_section,
        stats_socket=stats_socket,
    )
    return text


def server_status(stats_socket: Path) -> dict[str, str]:
    """Each server's status in HAProxy (``UP``, ``DOWN``, ``DOWN 1/2`` …), by name."""
    with socket.socket(socket.AF_UNIX) as sock:
        sock.settimeout(2.0)
        sock.connect(str(stats_socket))
        sock.sendall(b"show stat\n")
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    lines = data.decode().splitlines()
    header = lines[0].lstrip("# ").split(",")
    out = {}
    for line in lines[1:]:
        row = dict(zip(header, line.split(","), strict=False))
        if row.get("svname") not in (None, "", "FRONTEND", "BACKEND"):
            out[row["svname"]] = row.get("status", "")
    return out


def _all_up(stats_socket: Path) -> bool:
    try:
        states = server_status(stats_socket)
    except OSError:
        return False
    return bool(states) and all(v == "UP" for v in states.values())


def replica_command(port: int, extra: list[str]) -> list[str]:
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(REPO / "serve_app.py"),
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        # Production: no source watching; the data is re-read when its files change anyway.
        "--server.fileWatcherType",
        "none",
        *extra,
    ]


def _spawn(command: list[str], log: Path, env: dict[str, str]) -> int:
    with open(log, "ab") as out:
        process = subprocess.Popen(
            command,
            cwd=REPO,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # survives `make` returning; its own process group
        )
    return process.pid


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    state = Path(f"/proc/{pid}/stat")
    try:
        return state.read_text().split(") ")[-1][:1] != "Z"
    except OSError:
        return False


def stop(run_dir: Path, timeout: float = 15.0) -> list[int]:
    """End the processes named in ``run_dir/*.pid``; the pids stopped."""
    stopped: list[int] = []
    files = sorted(run_dir.glob("*.pid")) if run_dir.is_dir() else []
    waiting: list[int] = []
    for pid_file in files:
        try:
            pid = int(pid_file.read_text().strip())
        except ValueError:
            pid_file.unlink()
            continue
        marker = "haproxy" if pid_file.name == "balancer.pid" else "streamlit"
        if _alive(pid) and marker in _cmdline(pid):
            try:
                os.killpg(pid, signal.SIGTERM)  # the process and whatever it started
            except ProcessLookupError:
                pass
            waiting.append(pid)
        pid_file.unlink()
    for leftover in ("state.json", "haproxy.sock"):
        (run_dir / leftover).unlink(missing_ok=True)
    deadline = time.monotonic() + timeout
    for pid in waiting:
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        if _alive(pid):
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        stopped.append(pid)
    return stopped


def start(args: argparse.Namespace) -> int:
    run_dir = Path(args.run_dir).resolve()
    run_dir.mkdir(parents=True, exist_ok=True)
    if any(run_dir.glob("*.pid")):
        print(f"{run_dir} holds pid files: run `make serve-stop` first", file=sys.stderr)
        return 1
    haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
    if not Path(haproxy).exists():
        print("haproxy is not installed: apt-get install -y haproxy", file=sys.stderr)
        return 1
    extra = list(args.streamlit_arg or [])
    previews = run_dir / "previews"  # the social cards, drawn by one replica for all
    shutil.rmtree(previews, ignore_errors=True)
    base_env = {**os.environ, "PYTHONUNBUFFERED": "1", "DASHLIB_PREVIEWS_DIR": str(previews)}
    if args.public_url:
        base_env["DASHLIB_PUBLIC_URL"] = args.public_url
    if args.no_previews:
        base_env["DASHLIB_PREVIEWS"] = "off"
    public_env = {**base_env, "DASHLIB_EDITOR": "off"}
    replicas: list[tuple[str, int]] = []
    state: dict[str, object] = {"port": args.port, "replicas": {}}
    for number in range(1, args.replicas + 1):
        rport = free_port()
        name = f"r{number}"
        pid = _spawn(replica_command(rport, extra), run_dir / f"replica-{number}.log", public_env)
        (run_dir / f"replica-{number}.pid").write_text(f"{pid}\n")
        replicas.append((name, rport))
        state["replicas"][name] = {"port": rport, "pid": pid}  # type: ignore[index]
    editor: tuple[int, int] | None = None
    if args.editor_port:
        rport = free_port()
        editor_env = {**base_env, "DASHLIB_EDITOR": "on"}
        pid = _spawn(replica_command(rport, extra), run_dir / "editor.log", editor_env)
        (run_dir / "editor.pid").write_text(f"{pid}\n")
        editor = (args.editor_port, rport)
        state["editor"] = {"port": args.editor_port, "replica_port": rport, "pid": pid}
    config = run_dir / "haproxy.cfg"
    config.write_text(
        render_config(
            port=args.port,
            replicas=replicas,
            bind=args.bind,
            editor=editor,
            cookie_attrs=args.cookie_attrs,
            stats_socket=str(run_dir / "haproxy.sock"),
        ),
        encoding="utf-8",
    )
    check = subprocess.run([haproxy, "-c", "-q", "-f", str(config)], capture_output=True)
    if check.returncode != 0:
        print(check.stdout.decode() + check.stderr.decode(), file=sys.stderr)
        stop(run_dir)
        return 1
    pid = _spawn([haproxy, "-db", "-f", str(config)], run_dir / "balancer.log", dict(os.environ))
    (run_dir / "balancer.pid").write_text(f"{pid}\n")
    state["balancer"] = {"pid": pid}
    (run_dir / "state.json").write_text(json.dumps(state, indent=2) + "\n")

    deadline = time.monotonic() + args.timeout
    urls = [f"http://127.0.0.1:{p}{HEALTH}" for _, p in replicas]
    if editor:
        urls.append(f"http://127.0.0.1:{editor[1]}{HEALTH}")
    pids = [int(p.read_text()) for p in run_dir.glob("*.pid")]
    pending = list(urls)
    while pending and time.monotonic() < deadline and all(_alive(p) for p in pids):
        pending = [u for u in pending if not healthy(u, 1.0)]
        if pending:
            time.sleep(0.3)
    balancer = f"http://{args.bind}:{args.port}{HEALTH}"
    stats = run_dir / "haproxy.sock"
    # Servers start DOWN in HAProxy until two checks pass: wait until every one is in rotation.
    while (
        not pending
        and time.monotonic() < deadline
        and not (healthy(balancer, 1.0) and _all_up(stats))
    ):
        if not all(_alive(p) for p in pids):
            break
        time.sleep(0.2)
    if pending or not healthy(balancer, 2.0):
        dead = [p for p in pids if not _alive(p)]
        print(f"not healthy: {pending or [balancer]}; exited: {dead}", file=sys.stderr)
        for log in sorted(run_dir.glob("*.log")):
            tail = log.read_text(errors="replace").splitlines()[-5:]
            print(f"--- {log.name}\n" + "\n".join(tail), file=sys.stderr)
        stop(run_dir)
        return 1
    where = f"http://{args.bind}:{args.port}/"
    print(f"serving {where} ({args.replicas} replicas behind HAProxy; pids in {run_dir})")
    if not args.no_previews:
        print(f"link previews: cards drawn in the background in {previews}")
    if editor:
        print(f"editor on http://{args.bind}:{editor[0]}/editor")
    return 0


def status(run_dir: Path) -> int:
    state_file = run_dir / "state.json"
    if not state_file.exists():
        print("not running")
        return 1
    print(state_file.read_text())
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("action", choices=["start", "stop", "status"])
    parser.add_argument("--replicas", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--bind", default="127.0.0.1", help="balancer address (127.0.0.1)")
    parser.add_argument("--editor-port", type=int, default=0, help="serve the editor here")
    parser.add_argument(
        "--cookie-attrs",
        default="",
        help='extra cookie attributes, e.g. "secure attr SameSite=None" behind HTTPS',
    )
    parser.add_argument(
        "--public-url",
        default="",
        help="the address readers use, named by link previews (default: each request's Host)",
    )
    parser.add_argument(
        "--no-previews", action="store_true", help="no link previews (Streamlit's own page)"
    )
    parser.add_argument("--run-dir", default=str(REPO / "run"))
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument(
        "--streamlit-arg",
        action="append",
        help="passed to every `streamlit run` (repeat), e.g. --server.disconnectedSessionTTL=30",
    )
    args = parser.parse_args(argv)
    if args.action == "start":
        if args.replicas < 1:
            parser.error("--replicas must be at least 1")
        try:
            return start(args)
        except BaseException:
            stop(Path(args.run_dir).resolve())  # nothing left running half-started
            raise
    if args.action == "stop":
        stopped = stop(Path(args.run_dir).resolve())
        print(f"stopped {len(stopped)} process(es)" if stopped else "nothing was running")
        return 0
    return status(Path(args.run_dir).resolve())


if __name__ == "__main__":
    sys.exit(main())
