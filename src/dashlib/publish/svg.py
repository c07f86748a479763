"""SVG post-processing: an accessible name and description, and compact path data."""

from __future__ import annotations

import html
import re
from pathlib import Path

_PATH_DATA = re.compile(r' d="([^"]*)"')
_LONG_DECIMAL = re.compile(r"(\.\d{2})\d+")


def compact_path_data(svg: str) -> str:
    """Cut path coordinates to 1/100 px: the base map's paths come with 13 decimals (3× size)."""
    return _PATH_DATA.sub(lambda m: ' d="' + _LONG_DECIMAL.sub(r"\1", m.group(1)) + '"', svg)


def describe_svg(path: Path, title: str, summary: str) -> None:
    """Give the SVG an accessible name and description (``<title>``, ``<desc>``), and
    compact its path data."""
    text = compact_path_data(path.read_text(encoding="utf-8"))
    match = re.search(r"<svg\b[^>]*>", text)
    if not match:
        return
    e = html.escape
    head = match.group(0)
    if "role=" not in head:
        head = head[:-1] + ' role="img" aria-labelledby="svg-title svg-desc">'
    inject = f'<title id="svg-title">{e(title)}</title><desc id="svg-desc">{e(summary)}</desc>'
    path.write_text(text[: match.start()] + head + inject + text[match.end() :], "utf-8")
