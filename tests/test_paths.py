"""dashlib.paths: explicit argument, then the environment, then the project above the cwd."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashlib import paths

from conftest import REPO


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "datapackage.json").write_text("{}", encoding="utf-8")
    (tmp_path / "deep" / "er").mkdir(parents=True)
    return tmp_path


@pytest.fixture(autouse=True)
def _no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (paths.DATA_ENV, paths.STATIC_ENV, paths.APP_ENV):
        monkeypatch.delenv(name, raising=False)


def test_the_project_is_found_upward_from_the_working_folder(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project / "deep" / "er")
    assert paths.project_root() == project.resolve()
    assert paths.data_dir() == project.resolve() / "data"
    assert paths.static_dir() == project.resolve() / "static"
    assert paths.app_file() == project.resolve() / "app.py"
    assert paths.topojson_dir() == project.resolve() / "static" / "topojson"


def test_the_environment_wins_over_the_project(
    project: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path_factory.mktemp("elsewhere")
    monkeypatch.chdir(project)
    monkeypatch.setenv(paths.DATA_ENV, str(other / "d"))
    monkeypatch.setenv(paths.STATIC_ENV, str(other / "s"))
    monkeypatch.setenv(paths.APP_ENV, str(other / "main.py"))
    assert paths.data_dir() == (other / "d").resolve()
    assert paths.static_dir() == (other / "s").resolve()
    assert paths.app_file() == (other / "main.py").resolve()


def test_an_explicit_path_wins_over_everything(
    project: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path_factory.mktemp("given")
    monkeypatch.chdir(project)
    monkeypatch.setenv(paths.DATA_ENV, str(project / "env"))
    assert paths.data_dir(other) == other.resolve()
    assert paths.data_dir(str(other)) == other.resolve()


def test_no_project_is_one_error_naming_all_three_ways(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert paths.project_root() is None
    with pytest.raises(paths.ProjectNotFound) as err:
        paths.data_dir()
    message = str(err.value)
    assert "explicitly" in message
    assert paths.DATA_ENV in message
    assert "data/datapackage.json" in message
    assert str(tmp_path) in message


def test_this_checkout_is_a_project() -> None:
    assert paths.project_root(REPO / "src" / "dashlib") == REPO
