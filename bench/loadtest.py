"""Concurrent readers speaking Streamlit's own websocket protocol (``make loadtest``).

One reader does what a browser does: ``GET /map`` (the balancer's affinity cookie comes back),
opens the websocket ``/_stcore/stream`` with that cookie, asks for the page
(``BackMsg.rerun_script`` with ``page_name="map"``) and waits for ``script_finished``; then
changes the country filter through the URL three times (``query_string="country=…"``), each
time waiting for the redraw. Each of those four waits is one *step*; the report gives the
steps' p50/p95/max, the readers' total time, errors (a script exception, a page that did not
finish, a refused connection), and each server process's resident memory and CPU.

A reader whose websocket drops (its replica died) reconnects with its cookie — the balancer
sends it to a live replica — and redoes the step; that counts as a *reconnect*, not an error.

    python -m bench.loadtest --url http://127.0.0.1:8080 --readers 20 [--run-dir run]
    python -m bench.loadtest --url http://127.0.0.1:8501 --pid 1234      # one process

Server pids come from ``--run-dir``'s ``state.json`` (written by ``deploy/serve.py``) or
``--pid``; memory and CPU are read from ``/proc``. Standard library, ``websockets`` (a
Streamlit dependency) and Streamlit's generated protobuf modules only.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

COOKIE = "DASHLIB_REPLICA"
COUNTRIES = ("GEO", "MDA", "UKR", "ARM", "KAZ", "BLR", "TJK", "KGZ", "AZE")
STEP_TIMEOUT_S = 120.0
TICKS = os.sysconf("SC_CLK_TCK")


# --- one reader ------------------------------------------------------------------------------


@dataclass
class ReaderResult:
    steps: list[float] = field(default_factory=list)
    total: float = 0.0
    errors: list[str] = field(default_factory=list)
    reconnects: int = 0
    replicas: list[str] = field(default_factory=list)  # the replica of each connection
    opened: list[float] = field(default_factory=list)  # when each connection opened (perf)
    reasons: list[str] = field(default_factory=list)  # why each reconnect happened


def _rerun(page: str, query: str) -> bytes:
    msg = BackMsg()
    state = msg.rerun_script
    state.page_name = page
    state.query_string = query
    state.context_info.timezone = "UTC"
    state.context_info.locale = "en-GB"
    return bytes(msg.SerializeToString())


async def _http_get(url: str, cookie: str | None) -> tuple[int, dict[str, str]]:
    def fetch() -> tuple[int, dict[str, str]]:
        request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
            return response.status, {k.lower(): v for k, v in response.headers.items()}

    return await asyncio.to_thread(fetch)


def _cookie_from(headers: Any) -> str | None:
    for name, value in headers.raw_items() if hasattr(headers, "raw_items") else headers.items():
        if name.lower() == "set-cookie" and value.startswith(f"{COOKIE}="):
            return str(value.split(";")[0])
    return None


async def _wait_finished(ws: Any) -> list[str]:
    """Read ForwardMsgs until the script run finishes; the problems seen (empty: fine)."""
    problems: list[str] = []
    while True:
        raw = await asyncio.wait_for(ws.recv(), STEP_TIMEOUT_S)
        if isinstance(raw, str):
            continue
        msg = ForwardMsg()
        msg.ParseFromString(raw)
        kind = msg.WhichOneof("type")
        if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            if msg.delta.new_element.WhichOneof("type") == "exception":
                exc = msg.delta.new_element.exception
                problems.append(f"exception: {exc.type}: {exc.message[:200]}")
        elif kind == "page_not_found":
            problems.append("page not found")
        elif kind == "script_finished":
            status = msg.script_finished
            if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                continue  # the app reran itself; the next run finishes the step
            if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                problems.append("compile error")
            return problems


async def fetch_page(
    base: str, page: str, query: str = "", cookie: str | None = None
) -> tuple[str, bytes, list[str]]:
    """Draw ``page`` once as a browser would: (replica that answered, every ForwardMsg's bytes
    joined, problems). For tests: is a text on the page, which replica drew it."""
    parts = urlsplit(base)
    ws_url = f"{'wss' if parts.scheme == 'https' else 'ws'}://{parts.netloc}/_stcore/stream"
    extra = {"Cookie": cookie} if cookie else {}
    async with connect(
        ws_url,
        subprotocols=["streamlit"],
        additional_headers=extra,
        max_size=None,  # type: ignore[list-item]
    ) as ws:
        served = ws.response.headers.get("X-Dashlib-Replica", "")
        await ws.send(_rerun(page, query))
        chunks: list[bytes] = []
        problems: list[str] = []
        while True:
            raw = await asyncio.wait_for(ws.recv(), STEP_TIMEOUT_S)
            if isinstance(raw, str):
                continue
            chunks.append(raw)
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            kind = msg.WhichOneof("type")
            if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                if msg.delta.new_element.WhichOneof("type") == "exception":
                    problems.append(msg.delta.new_element.exception.message[:200])
            if kind == "page_not_found":
                problems.append("page not found")
            if (
                kind == "script_finished"
                and msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN
            ):
                return served, b"".join(chunks), problems


async def reader(
    base: str,
    page: str,
    queries: list[str],
    start: asyncio.Event,
    delay: float = 0.0,
    think: float = 0.0,
) -> ReaderResult:
    result = ReaderResult()
    parts = urlsplit(base)
    ws_url = f"{'wss' if parts.scheme == 'https' else 'ws'}://{parts.netloc}/_stcore/stream"
    cookie: str | None = None
    await start.wait()
    if delay:
        await asyncio.sleep(delay)
    began = time.perf_counter()
    ws: Any = None
    step = 0
    attempts = 0
    try:
        while step < len(queries):
            t0 = time.perf_counter()
            try:
                if ws is None:
                    status, headers = await _http_get(f"{base.rstrip('/')}/{page}", cookie)
                    if status != 200:
                        raise ConnectionError(f"GET /{page}: HTTP {status}")
                    cookie = _cookie_from(headers) or cookie
                    extra = {"Cookie": cookie} if cookie else {}
                    ws = await connect(
                        ws_url,
                        subprotocols=["streamlit"],  # type: ignore[list-item]
                        additional_headers=extra,
                        max_size=None,
                        open_timeout=30,
                        ping_interval=None,
                    )
                    served = ws.response.headers.get("X-Dashlib-Replica", "")
                    result.replicas.append(served or "?")
                    result.opened.append(time.perf_counter())
                await ws.send(_rerun(page, queries[step]))
                problems = await _wait_finished(ws)
                result.steps.append(time.perf_counter() - t0)
                result.errors.extend(problems)
                step += 1
                if think and step < len(queries):
                    await asyncio.sleep(think)  # the reader looks at the chart
            except (ConnectionClosed, ConnectionError, OSError, InvalidStatus) as err:
                # The replica went away (or refused): reconnect with the cookie and redo.
                attempts += 1
                if ws is not None:
                    await ws.close()
                ws = None
                if attempts > 5:
                    result.errors.append(f"gave up after {attempts} tries: {err!r}"[:300])
                    break
                result.reconnects += 1
                result.reasons.append(f"step {step}: {type(err).__name__}: {err}"[:160])
                await asyncio.sleep(0.5)
            except TimeoutError:
                result.errors.append(f"step {step}: no script_finished in {STEP_TIMEOUT_S:.0f} s")
                break
    finally:
        if ws is not None:
            await ws.close()
    result.total = time.perf_counter() - began
    return result


# --- server processes ------------------------------------------------------------------------


@dataclass
class ProcSample:
    rss_mb: float
    cpu_s: float


def sample(pid: int) -> ProcSample | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1].split()
    except OSError:
        return None
    rss = [int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS")]
    if not rss:  # a zombie: the process has exited
        return None
    rss_kb = rss[0]
    cpu = (int(stat[11]) + int(stat[12])) / TICKS  # utime + stime
    return ProcSample(rss_kb / 1024, cpu)


def server_pids(run_dir: Path | None, pids: list[int]) -> dict[str, int]:
    out = {f"pid{p}": p for p in pids}
    if run_dir is not None and (run_dir / "state.json").exists():
        state = json.loads((run_dir / "state.json").read_text())
        for name, info in state.get("replicas", {}).items():
            out[name] = int(info["pid"])
        if "balancer" in state:
            out["haproxy"] = int(state["balancer"]["pid"])
    return out


# --- a round ---------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


async def run_round(
    base: str,
    readers: int,
    servers: dict[str, int],
    *,
    page: str = "map",
    kill: tuple[str, float] | None = None,
    ramp: float = 0.0,
    think: float = 0.0,
) -> dict[str, Any]:
    """``readers`` readers arriving evenly over ``ramp`` seconds (0: all at once); optionally
    SIGKILL server ``kill[0]`` ``kill[1]`` seconds in."""
    start = asyncio.Event()
    tasks = []
    for i in range(readers):
        picks = [COUNTRIES[(i + k) % len(COUNTRIES)] for k in range(3)]
        queries = ["", *(f"country={c}" for c in picks)]
        delay = ramp * i / readers
        tasks.append(asyncio.create_task(reader(base, page, queries, start, delay, think)))
    before = {name: sample(pid) for name, pid in servers.items()}
    t0 = time.perf_counter()
    client_cpu = time.process_time()
    killed_at: float | None = None

    async def killer() -> None:
        nonlocal killed_at
        if kill is None:
            return
        await asyncio.sleep(kill[1])
        os.kill(servers[kill[0]], signal.SIGKILL)
        killed_at = time.perf_counter() - t0

    kill_task = asyncio.create_task(killer())
    await asyncio.sleep(0)
    start.set()
    results: list[ReaderResult] = await asyncio.gather(*tasks)
    await kill_task
    wall = time.perf_counter() - t0
    client_cpu = time.process_time() - client_cpu
    after = {name: sample(pid) for name, pid in servers.items()}
    steps = [s for r in results for s in r.steps]
    totals = [r.total for r in results]
    per_server: dict[str, Any] = {}
    for name in servers:
        b, a = before[name], after[name]
        served = sum(r.replicas.count(name) for r in results)
        per_server[name] = {
            "rss_mb": round(a.rss_mb, 1) if a else None,
            "cpu_s": round(a.cpu_s - b.cpu_s, 2) if a and b else None,
            "cores": round((a.cpu_s - b.cpu_s) / wall, 2) if a and b else None,
            "connections": served,
            "alive": a is not None,
        }
    errors = [e for r in results for e in r.errors]
    after_kill: dict[str, int] = {}
    if killed_at is not None:
        for r in results:
            for opened, served in zip(r.opened, r.replicas, strict=True):
                if opened - t0 > killed_at:
                    after_kill[served] = after_kill.get(served, 0) + 1
    return {
        "readers": readers,
        "wall_s": round(wall, 2),
        "steps": len(steps),
        "step_p50_s": round(percentile(steps, 50), 3),
        "step_p95_s": round(percentile(steps, 95), 3),
        "step_max_s": round(max(steps), 3) if steps else None,
        "reader_p95_s": round(percentile(totals, 95), 3),
        "errors": len(errors),
        "error_samples": sorted(set(errors))[:5],
        "reconnects": sum(r.reconnects for r in results),
        "readers_reconnected": sum(1 for r in results if r.reconnects),
        "reconnect_reasons": dict(
            Counter(reason.split(": ", 1)[1][:80] for r in results for reason in r.reasons)
        ),
        "readers_finished": sum(1 for r in results if len(r.steps) == 4),
        "killed": kill[0] if kill else None,
        "killed_at_s": round(killed_at, 2) if killed_at is not None else None,
        "connections_after_kill": after_kill,
        "ramp_s": ramp,
        "think_s": think,
        "servers": per_server,
        "client_cores": round(client_cpu / wall, 2),
    }


def describe(result: dict[str, Any]) -> str:
    lines = [
        f"{result['readers']} readers, {result['wall_s']} s: steps p50 {result['step_p50_s']} s, "
        f"p95 {result['step_p95_s']} s, max {result['step_max_s']} s; reader total p95 "
        f"{result['reader_p95_s']} s; errors {result['errors']}; reconnects "
        f"{result['reconnects']}; finished {result['readers_finished']}/{result['readers']}"
    ]
    for name, info in result["servers"].items():
        lines.append(
            f"  {name}: {info['rss_mb']} MB resident, {info['cpu_s']} s CPU "
            f"({info['cores']} cores), {info['connections']} connection(s)"
            + ("" if info["alive"] else " [dead]")
        )
    for sample_ in result["error_samples"]:
        lines.append(f"  error: {sample_}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8080")
    parser.add_argument("--readers", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--pause", type=float, default=0.0, help="seconds between rounds")
    parser.add_argument("--page", default="map")
    parser.add_argument("--run-dir", default="run", help="deploy/serve.py's run folder")
    parser.add_argument("--pid", type=int, action="append", default=[], help="a server pid")
    parser.add_argument("--kill", help="NAME@SECONDS: SIGKILL that replica mid-test")
    parser.add_argument("--ramp", type=float, default=0.0, help="readers arrive over S seconds")
    parser.add_argument("--think", type=float, default=0.0, help="seconds between a reader's steps")
    parser.add_argument("--no-warm", action="store_true", help="measure cold servers too")
    parser.add_argument("--json", help="append each round's result to this JSON-lines file")
    args = parser.parse_args(argv)
    servers = server_pids(Path(args.run_dir), args.pid)
    kill = None
    if args.kill:
        name, _, at = args.kill.partition("@")
        kill = (name, float(at or 2.0))
    if not args.no_warm:  # every server loads the dataset and draws the page once, unmeasured
        asyncio.run(run_round(args.url, 4, servers, page=args.page))
    for number in range(1, args.rounds + 1):
        result = asyncio.run(
            run_round(
                args.url,
                args.readers,
                servers,
                page=args.page,
                kill=kill,
                ramp=args.ramp,
                think=args.think,
            )
        )
        result["round"] = number
        print(f"round {number}: " + describe(result), flush=True)
        if args.json:
            with open(args.json, "a", encoding="utf-8") as out:
                out.write(json.dumps(result) + "\n")
        kill = None
        if number < args.rounds and args.pause:
            time.sleep(args.pause)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
