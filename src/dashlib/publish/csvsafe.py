"""CSV files for readers: opened in a spreadsheet without running a formula from the data.

OWASP CSV injection: a cell starting with ``= + - @``, tab or carriage return gets a leading
``'``. The file is UTF-8 with a byte-order mark and CRLF, as Excel expects.
"""

from __future__ import annotations

import pandas as pd

from dashlib.data import files

_DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """A cell safe to open in a spreadsheet (OWASP CSV injection): text starting with
    ``= + - @``, tab or carriage return gets a leading single quote; other values pass.

    >>> neutralise('=HYPERLINK("http://x","y")')
    '\\'=HYPERLINK("http://x","y")'
    >>> neutralise(-3.5), neutralise("Kyiv")
    (-3.5, 'Kyiv')
    """
    if isinstance(value, str) and value.startswith(_DANGEROUS_START):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    out.columns = [str(neutralise(str(c))) for c in out.columns]
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise)
    return out


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV for Excel and friends: UTF-8 with BOM, injection neutralised."""
    return files.csv_bytes(neutralise_frame(frame), line_end="\r\n", bom=True)
