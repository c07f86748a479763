"""Where the project's files are: the data folder, the static files and the app entry.

The library never counts parent folders from its own file (installed as a wheel, that points
into site-packages). Each location is resolved the same way, first match wins:

1. an explicit argument (a command-line option, a test's folder);
2. an environment variable (``DASHLIB_DATA_DIR``, ``DASHLIB_STATIC_DIR``, ``DASHLIB_APP``);
3. the current project: the nearest folder, from the working directory upward, that holds
   ``data/datapackage.json``.

When none applies, :class:`ProjectNotFound` says so and names all three.

>>> import os, tempfile
>>> root = Path(tempfile.mkdtemp())
>>> (root / "data").mkdir(); _ = (root / "data" / "datapackage.json").write_text("{}")
>>> data_dir(root / "data") == (root / "data").resolve()
True
>>> project_root(root / "data") == root.resolve()
True
"""

from __future__ import annotations

import os
from pathlib import Path

DATA_ENV = "DASHLIB_DATA_DIR"
STATIC_ENV = "DASHLIB_STATIC_DIR"
APP_ENV = "DASHLIB_APP"
# The file that marks a project's root (inside its data folder).
MARKER = Path("data") / "datapackage.json"


class ProjectNotFound(FileNotFoundError):
    """No explicit path, no environment variable and no project above the working folder."""


def project_root(start: Path | str | None = None) -> Path | None:
    """The nearest folder from ``start`` (default: the working directory) upward that holds
    ``data/datapackage.json``; None when there is none."""
    here = Path(start if start is not None else Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / MARKER).is_file():
            return folder
    return None


def _resolve(explicit: Path | str | None, env: str, inside_project: str, what: str) -> Path:
    if explicit is not None and str(explicit) != "":
        return Path(explicit).resolve()
    from_env = os.environ.get(env, "")
    if from_env:
        return Path(from_env).resolve()
    root = project_root()
    if root is not None:
        return root / inside_project
    raise ProjectNotFound(
        f"cannot find the {what}: pass it explicitly, set {env}, or run from inside the "
        f"project (a folder holding {MARKER.as_posix()}; searched upward from {Path.cwd()})"
    )


def data_dir(explicit: Path | str | None = None) -> Path:
    """The dataset's folder (the one holding datapackage.json and the CSV files)."""
    return _resolve(explicit, DATA_ENV, "data", "data folder")


def static_dir(explicit: Path | str | None = None) -> Path:
    """The folder Streamlit serves at /app/static/ (base maps, GeoJSON, favicon)."""
    return _resolve(explicit, STATIC_ENV, "static", "static folder")


def app_file(explicit: Path | str | None = None) -> Path:
    """The Streamlit entry script (the router, app.py)."""
    return _resolve(explicit, APP_ENV, "app.py", "app entry (app.py)")


def topojson_dir(explicit: Path | str | None = None) -> Path:
    """The offline base maps (plotly's topojson format), inside the static folder."""
    return static_dir(explicit) / "topojson"
