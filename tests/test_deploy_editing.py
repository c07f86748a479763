"""The editor on a shared deployment: saves across processes, the password hash, throttling.

Two real processes (as two replicas would be) save the same file from the same loaded
version: the second is refused, never overwriting the first. The control run without the
lock shows the test would catch the race (both "save").
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashlib.editing.auth import (
    SignInThrottle,
    backoff,
    client_key,
    editor_enabled,
    hash_password,
    is_hash,
    verify_password,
)
from dashlib.editing.filelock import LockTimeout, exclusive

from conftest import REPO

SAVER = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    from contextlib import nullcontext
    from dashlib.editing import save as editing
    from dashlib.editing.save import ConcurrentEditError, read_table, save_table

    data_dir, who, go, digest, use_lock = (
        Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]), sys.argv[4], sys.argv[5] == "1"
    )
    real_check = editing.check

    def slow_check(folder):  # widen the window between the digest check and the write
        time.sleep(1.0)
        return real_check(folder)

    editing.check = slow_check
    if not use_lock:
        editing.exclusive = lambda folder: nullcontext()
    frame, _ = read_table(data_dir, "events")
    frame.loc[0, "title"] = f"Title by {who}"
    while not go.exists():
        time.sleep(0.01)
    try:
        result = save_table(data_dir, "events", frame, editor=who, expected_digest=digest)
        print(json.dumps({"who": who, "outcome": "saved" if result.saved else "not saved"}))
    except ConcurrentEditError:
        print(json.dumps({"who": who, "outcome": "refused"}))
    """
)


def _race(data_dir: Path, tmp_path: Path, use_lock: bool) -> list[dict[str, str]]:
    from dashlib.editing.save import read_table

    _, digest = read_table(data_dir, "events")
    go = tmp_path / "go"
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                SAVER,
                str(data_dir),
                who,
                str(go),
                digest,
                "1" if use_lock else "0",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            text=True,
        )
        for who in ("Ana", "Boris")
    ]
    time.sleep(2.0)  # both have imported pandas and loaded the table
    go.touch()
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


def test_two_processes_saving_the_same_file_second_is_refused(
    data_dir: Path, tmp_path: Path
) -> None:
    results = _race(data_dir, tmp_path, use_lock=True)
    outcomes = sorted(r["outcome"] for r in results)
    assert outcomes == ["refused", "saved"], results
    winner = next(r["who"] for r in results if r["outcome"] == "saved")
    text = (data_dir / "events.csv").read_text()
    assert f"Title by {winner}" in text
    assert len(list((data_dir / "backups").iterdir())) == 1


def test_without_the_lock_both_would_save(data_dir: Path, tmp_path: Path) -> None:
    """The control: the race is real, so the test above tests the lock."""
    results = _race(data_dir, tmp_path, use_lock=False)
    assert [r["outcome"] for r in results] == ["saved", "saved"], results


def test_lock_times_out_while_another_process_holds_it(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys,time;from pathlib import Path\n"
            "from dashlib.editing.filelock import exclusive\n"
            "with exclusive(Path(sys.argv[1])):\n print('held',flush=True);time.sleep(30)",
            str(tmp_path),
        ],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO / "src")},
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(LockTimeout):
            with exclusive(tmp_path, timeout=0.3):
                pass
    finally:
        holder.kill()
        holder.wait()
    with exclusive(tmp_path, timeout=1.0):  # released when the holder died
        pass


def test_password_hash_round_trip() -> None:
    stored = hash_password("correct horse battery")
    assert is_hash(stored) and "correct" not in stored
    assert verify_password("correct horse battery", stored)
    assert not verify_password("correct horse batter", stored)
    assert hash_password("x") != hash_password("x")  # salted
    assert not verify_password("x", "scrypt$bad$hash$x$y$z")


def test_plain_password_still_works_for_a_laptop() -> None:
    assert verify_password("s3cret", "s3cret") and not verify_password("s3cre", "s3cret")


def test_throttle_is_per_client_and_never_sleeps() -> None:
    throttle = SignInThrottle()
    for _ in range(5):
        throttle.failed("203.0.113.9", now=100.0)
    assert throttle.wait("203.0.113.9", now=100.0) == backoff(5) > 0
    assert throttle.wait("198.51.100.7", now=100.0) == 0.0  # another editor is not slowed
    assert throttle.wait("203.0.113.9", now=100.0 + backoff(5)) == 0.0
    throttle.succeeded("203.0.113.9")
    assert throttle.failures("203.0.113.9") == 0


def test_throttle_memory_is_bounded() -> None:
    throttle = SignInThrottle(max_clients=100)
    for i in range(1000):
        throttle.failed(f"10.0.{i // 256}.{i % 256}", now=0.0)
    assert len(throttle._clients) == 100


def test_client_key_prefers_the_balancers_forwarded_address() -> None:
    headers = {"X-Forwarded-For": "203.0.113.9, 10.0.0.1"}
    assert client_key(headers, "127.0.0.1", "s") == "203.0.113.9"
    assert client_key({}, "127.0.0.1", "s") == "127.0.0.1"
    assert client_key({}, None, "s") == "s"


def test_editor_switch() -> None:
    assert editor_enabled({}) and editor_enabled({"DASHLIB_EDITOR": "on"})
    assert not editor_enabled({"DASHLIB_EDITOR": "off"})
    assert not editor_enabled({"DASHLIB_EDITOR": "0"})


# --- The editor page with these settings ----------------------------------------------------


@pytest.fixture(autouse=True)
def _fresh_throttle() -> Iterator[None]:
    """The sign-in throttle lives as long as the process: start and leave it empty."""
    from dashlib.ui.editor import _throttle

    _throttle.clear()
    yield
    _throttle.clear()


def _editor_app(monkeypatch: pytest.MonkeyPatch, data_dir: Path, **env: str) -> AppTest:
    monkeypatch.setenv("DASHLIB_DATA_DIR", str(data_dir))
    for name in ("DASHLIB_EDITOR_PASSWORD", "DASHLIB_EDITOR_PASSWORD_HASH", "DASHLIB_EDITOR"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.run()
    return at


def test_sign_in_with_the_hashed_password(monkeypatch: pytest.MonkeyPatch, data_dir: Path) -> None:
    at = _editor_app(
        monkeypatch, data_dir, DASHLIB_EDITOR_PASSWORD_HASH=hash_password("s3cret-pass")
    )
    at.switch_page("pages/editor.py").run()
    at.text_input[0].input("s3cret-pass")
    at.button[0].click().run()
    assert not at.exception
    assert at.selectbox(key="editor_table").value == "sources"


def test_editor_off_on_a_public_replica(monkeypatch: pytest.MonkeyPatch, data_dir: Path) -> None:
    at = _editor_app(
        monkeypatch,
        data_dir,
        DASHLIB_EDITOR_PASSWORD_HASH=hash_password("s3cret-pass"),
        DASHLIB_EDITOR="off",
    )
    with pytest.raises(Exception):  # noqa: B017 - AppTest raises when the page does not exist
        at.switch_page("pages/editor.py").run()


def test_repeated_wrong_passwords_are_refused_at_once(
    monkeypatch: pytest.MonkeyPatch, data_dir: Path
) -> None:
    monkeypatch.setattr("dashlib.editing.auth.backoff", lambda failures: 30.0)
    at = _editor_app(monkeypatch, data_dir, DASHLIB_EDITOR_PASSWORD="s3cret-pass")
    at.switch_page("pages/editor.py").run()
    at.text_input[0].input("wrong")
    at.button[0].click().run()
    assert any("Wrong password" in e.value for e in at.error)
    started = time.monotonic()
    at.text_input[0].input("s3cret-pass")  # even the right one waits its turn
    at.button[0].click().run()
    assert time.monotonic() - started < 1.5  # answered, not slept on
    assert any("Too many wrong passwords" in e.value for e in at.error)
    assert not at.selectbox
