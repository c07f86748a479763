"""The library installed as a wheel (not editable) finds the project from the working folder.

Builds the wheel into a temporary folder, installs it with exactly the locked dependencies
into a new venv (uv, from its cache: no editable path into src/), then runs the CLI and the
app's router from the project root, and the CLI from outside any project.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import REPO, missing_tool

pytestmark = pytest.mark.slow


def _uv() -> str:
    for candidate in (REPO / ".uv" / "bin" / "uv", shutil.which("uv")):
        if candidate and os.access(candidate, os.X_OK):
            return str(candidate)
    missing_tool("uv is not installed (make test installs it into .uv/)")
    raise AssertionError  # unreachable: missing_tool skips or fails


@pytest.fixture(scope="module")
def wheel_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    uv = _uv()
    work = tmp_path_factory.mktemp("wheel")
    env = {**os.environ, "UV_PYTHON_DOWNLOADS": "never"}
    run = {"check": True, "capture_output": True, "text": True, "env": env, "timeout": 600}
    subprocess.run([uv, "build", "--wheel", "--out-dir", str(work / "dist"), str(REPO)], **run)
    wheels = list((work / "dist").glob("dashlib-*.whl"))
    assert len(wheels) == 1, wheels
    pins = work / "requirements.txt"
    subprocess.run(
        [uv, "export", "--frozen", "--no-emit-project", "--no-hashes", "--no-dev",
         "--format", "requirements-txt", "-o", str(pins)],
        cwd=REPO, **run,
    )  # fmt: skip
    subprocess.run([uv, "venv", "--python", os.sys.executable, str(work / "venv")], **run)
    python = work / "venv" / "bin" / "python"
    subprocess.run(
        [uv, "pip", "install", "--python", str(python), "-r", str(pins), "--no-deps",
         str(wheels[0])],
        **run,
    )  # fmt: skip
    return python


def _clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DASHLIB_")}
    env.pop("PYTHONPATH", None)
    return env


def test_the_installed_package_is_not_the_checkout(wheel_python: Path) -> None:
    out = subprocess.run(
        [str(wheel_python), "-c", "import dashlib; print(dashlib.__file__)"],
        cwd=REPO, env=_clean_env(), capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "site-packages" in out.stdout
    assert str(REPO / "src") not in out.stdout


@pytest.mark.parametrize("argv", [["validate", "data"], ["validate"]])
def test_validate_from_the_project_root(wheel_python: Path, argv: list[str]) -> None:
    out = subprocess.run(
        [str(wheel_python), "-m", "dashlib", *argv],
        cwd=REPO, env=_clean_env(), capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.startswith("OK:")


def test_validate_outside_a_project_says_how_to_point_at_one(
    wheel_python: Path, tmp_path: Path
) -> None:
    out = subprocess.run(
        [str(wheel_python), "-m", "dashlib", "validate"],
        cwd=tmp_path, env=_clean_env(), capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert out.returncode == 2
    assert "DASHLIB_DATA_DIR" in out.stderr and "datapackage.json" in out.stderr


def test_the_app_runs_from_the_project_root(wheel_python: Path) -> None:
    script = (
        "from streamlit.testing.v1 import AppTest\n"
        "at = AppTest.from_file('app.py', default_timeout=120).run()\n"
        "assert not at.exception, at.exception\n"
        "print(len(at.get('plotly_chart')))\n"
    )
    out = subprocess.run(
        [str(wheel_python), "-c", script],
        cwd=REPO, env=_clean_env(), capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert out.returncode == 0, out.stdout + out.stderr
    assert int(out.stdout.strip().splitlines()[-1]) >= 1
