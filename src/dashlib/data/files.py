"""Writing data files: the one CSV writer and the one atomic file replacement.

Every CSV the project writes (a saved table, the corrections log, the ACLED layer, an export's
data file) goes through :func:`csv_bytes`; every file that readers or the app may be reading
while it is written is replaced by :func:`atomic_write`, so nobody ever sees half a file.
(:func:`dashlib.data.csvio.read_csv` is the one reader.)
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd

BOM = "\ufeff"


def csv_bytes(
    frame: pd.DataFrame, *, line_end: str = "\n", bom: bool = False, header: bool = True
) -> bytes:
    """``frame`` as UTF-8 CSV (minimal quoting; empty and missing cells as nothing).

    ``bom`` and ``line_end="\\r\\n"`` make the file Excel opens as UTF-8.

    >>> csv_bytes(pd.DataFrame({"id": ["a", "b,c"], "n": [1, None]}))
    b'id,n\\na,1.0\\n"b,c",\\n'
    """
    text = str(frame.to_csv(index=False, lineterminator=line_end, header=header))
    return ((BOM if bom else "") + text).encode("utf-8")


def _file_mode(path: Path) -> int:
    """The existing file's permissions, or the usual ones for a new file (umask applied)."""
    if path.exists():
        return path.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def atomic_write(path: Path, data: bytes) -> None:
    """Replace ``path`` by ``data`` all at once: a temporary file in the same folder, flushed
    and fsynced, then ``os.replace``. The file keeps its permissions (a new one gets the
    umask's); on any error the old file stays and the temporary file is removed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, _file_mode(path))
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
