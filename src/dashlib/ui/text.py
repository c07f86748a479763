"""Show text from the data as text: Markdown-escaped, links only for http(s) addresses."""

from __future__ import annotations

import re
from urllib.parse import quote

_SAFE_URL = re.compile(r"^https?://[^\s<>\"'`]+$", re.IGNORECASE)
# CommonMark lets any ASCII punctuation be backslash-escaped; escaping all of it makes the
# text literal (no emphasis, links, HTML, directives or LaTeX).
_PUNCT = re.compile(r"([!-/:-@\[-`{-~])")


def md_escape(value: object) -> str:
    """``value`` as Markdown that renders as exactly that text."""
    if value is None:
        return ""
    text = str(value).replace("\r", " ").replace("\n", " ")
    return _PUNCT.sub(r"\\\1", text)


def safe_url(value: object) -> str | None:
    """The address when it is a plain http(s) URL, else None (javascript:, data:, …)."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    return url if _SAFE_URL.match(url) else None


def md_link(label: object, url: object) -> str:
    """A Markdown link when ``url`` is http(s); otherwise the label as plain text."""
    target = safe_url(url)
    if target is None:
        return md_escape(label)
    return f"[{md_escape(label)}]({quote(target, safe=':/?#[]@!$&*+,;=%~-._')})"


def md_highlight(pieces: list[tuple[str, bool]]) -> str:
    """Escaped text with the search matches marked (bold on a yellow background)."""
    out = []
    for text, hit in pieces:
        escaped = md_escape(text)
        out.append(f":orange-background[**{escaped}**]" if hit and text.strip() else escaped)
    return "".join(out)
