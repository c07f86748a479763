"""Per-page HTML shells so shared links preview without JavaScript (title, description, image).

Streamlit serves one ``index.html`` for every page, titled "Streamlit"; the page's title is
set later by JavaScript, which link-preview robots (chat apps, social networks) do not run.
Streamlit 1.67 has no custom routes, so the front proxy answers a page's HTML request with a
shell written here: Streamlit's own ``index.html`` (the installed version's, so its script
and style links are the running server's) with the page's ``<title>``, description, canonical
link and Open Graph / Twitter card tags. A browser then runs the app exactly as from
Streamlit's own page; a robot reads the tags.

The descriptions hold counts from the data: write the shells again after a data update. Write
the shells at deploy time, after ``python -m dashlib export`` has written the social
cards (``map-social.png``, ``timeline-social.png``) to where ``--images-url`` points::

    python -m dashlib.publish.shells build/shells \\
        --base-url https://reach.example.org --images-url https://reach.example.org/embeds/

HAProxy (2.2 or later) serves them itself, in the frontend, before the Streamlit backends;
``--haproxy FOLDER`` prints the lines (one per page: ``file`` takes no expression)::

    acl wants_html req.hdr(accept) -m sub text/html
    http-request return status 200 content-type "text/html; charset=utf-8" \\
        file /srv/reach/shells/map.html if { path /map } wants_html
    ...

Only the page's HTML is answered this way (its websocket, scripts and data still reach
Streamlit), and the query string stays in the browser: the app reads ``?country=…`` as
usual. Tested with HAProxy 2.6 in tests/test_shells.py.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from dashlib import paths
from dashlib.data.dataset import Dataset, load
from dashlib.query.selection import Selection
from dashlib.query.summaries import key_figures, timeline_summary

SITE_NAME = "Russia's military reach since 1991"
DESCRIPTION_CHARS = 200  # what previews show before cutting


@dataclass(frozen=True)
class PageMeta:
    """What a link to one page should preview as."""

    path: str  # URL path without the leading slash ("" is the default page)
    file: str  # shell file name
    title: str
    description: str
    image: str  # social card file name in the export folder


def _shorten(text: str, limit: int = DESCRIPTION_CHARS) -> str:
    """Whole sentences up to ``limit`` characters (at least the first sentence, cut at a word)."""
    sentences = re.split(r"(?<=[.!?])\s+", text.strip())
    out = ""
    for sentence in sentences:
        if out and len(out) + 1 + len(sentence) > limit:
            break
        out = f"{out} {sentence}".strip()
    if len(out) > limit:
        out = out[: limit - 1].rsplit(" ", 1)[0] + "…"
    return out


def page_meta(ds: Dataset, today: dt.date) -> list[PageMeta]:
    """Title, description and image of every public page, from the data itself."""
    everything = Selection()
    figures = key_figures(ds, today)
    standfirst = (
        "Since the Soviet Union broke up in 1991, Russian troops have fought, kept the peace, "
        f"occupied land or kept bases in {figures['countries_with_presence']} of the 14 other "
        "states that emerged from it: a map, a timeline and what reporters wrote, every fact "
        "sourced."
    )
    return [
        PageMeta("", "overview", SITE_NAME, _shorten(standfirst), "map-social.png"),
        PageMeta("overview", "overview", SITE_NAME, _shorten(standfirst), "map-social.png"),
        PageMeta(
            "map",
            "map",
            f"Map of Russian deployments · {SITE_NAME}",
            _shorten(
                "Where Russian forces are deployed across the former Soviet Union, from 1991 "
                f"to today: {figures['sites_active']} sites active on {today:%-d %B %Y} and "
                f"{figures['interventions']} interventions since 1991, each with its sources."
            ),
            "map-social.png",
        ),
        PageMeta(
            "timeline",
            "timeline",
            f"Timeline of interventions · {SITE_NAME}",
            _shorten(timeline_summary(ds, everything, today)),
            "timeline-social.png",
        ),
        PageMeta(
            "excerpts",
            "excerpts",
            f"What reporters wrote · {SITE_NAME}",
            f"{len(ds.excerpts)} verbatim excerpts from news reports, linked to the "
            "interventions and countries they speak of, with their sources.",
            "map-social.png",
        ),
        PageMeta(
            "about",
            "about",
            f"About the data · {SITE_NAME}",
            "Method, sources, citation and licence of the dataset (CSV files described by a "
            "Frictionless Data Package), with a download of every file.",
            "map-social.png",
        ),
        PageMeta(
            "corrections",
            "corrections",
            f"Corrections and updates · {SITE_NAME}",
            "Every change made to the data, newest first: when, which rows, old and new values.",
            "map-social.png",
        ),
    ]


def streamlit_index() -> str:
    """Streamlit's own ``static/index.html``, found without importing streamlit (the core never
    imports it: only ``dashlib.ui`` does)."""
    import importlib.util

    spec = importlib.util.find_spec("streamlit")
    if spec is None or spec.origin is None:
        raise RuntimeError("streamlit is not installed: the page shells copy its index.html")
    return (Path(spec.origin).parent / "static" / "index.html").read_text(encoding="utf-8")


def shell_html(index: str, meta: PageMeta, base_url: str, images_url: str) -> str:
    """``index`` with this page's title and preview tags (every value HTML-escaped)."""
    e = html.escape
    url = f"{base_url.rstrip('/')}/{meta.path}"
    image = f"{images_url.rstrip('/')}/{meta.image}"
    tags = "\n".join(
        [
            f"    <title>{e(meta.title)}</title>",
            f'    <meta name="description" content="{e(meta.description)}" />',
            f'    <link rel="canonical" href="{e(url)}" />',
            '    <meta property="og:type" content="website" />',
            f'    <meta property="og:site_name" content="{e(SITE_NAME)}" />',
            f'    <meta property="og:title" content="{e(meta.title)}" />',
            f'    <meta property="og:description" content="{e(meta.description)}" />',
            f'    <meta property="og:url" content="{e(url)}" />',
            f'    <meta property="og:image" content="{e(image)}" />',
            '    <meta property="og:image:width" content="1200" />',
            '    <meta property="og:image:height" content="675" />',
            f'    <meta property="og:image:alt" content="{e(meta.description)}" />',
            '    <meta name="twitter:card" content="summary_large_image" />',
            f'    <meta name="twitter:title" content="{e(meta.title)}" />',
            f'    <meta name="twitter:description" content="{e(meta.description)}" />',
            f'    <meta name="twitter:image" content="{e(image)}" />',
        ]
    )
    shell, count = re.subn(r"\s*<title>.*?</title>", "\n" + tags, index, count=1, flags=re.S)
    if count != 1:
        raise ValueError("Streamlit's index.html has no <title> to replace")
    return shell


def write_shells(
    ds: Dataset, out: Path, base_url: str, images_url: str, today: dt.date | None = None
) -> list[Path]:
    """One shell per page file in ``out``; returns the files written."""
    index = streamlit_index()
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for meta in page_meta(ds, today or dt.date.today()):
        path = out / f"{meta.file}.html"
        if path in written:
            continue
        path.write_text(shell_html(index, meta, base_url, images_url), encoding="utf-8")
        written.append(path)
    return written


def haproxy_rules(ds: Dataset, folder: str, today: dt.date | None = None) -> str:
    """The HAProxy lines serving the shells in ``folder`` for the pages' HTML requests."""
    lines = ["acl wants_html req.hdr(accept) -m sub text/html"]
    for meta in page_meta(ds, today or dt.date.today()):
        lines.append(
            'http-request return status 200 content-type "text/html; charset=utf-8" '
            f"file {folder.rstrip('/')}/{meta.file}.html if {{ path /{meta.path} }} wants_html"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashlib.publish.shells", description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--base-url", required=True, help="the app's public address")
    parser.add_argument("--images-url", required=True, help="where the social cards are")
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--haproxy", default=None, help="print HAProxy rules for this folder")
    args = parser.parse_args(argv)
    ds = load(args.data or paths.data_dir())
    for path in write_shells(ds, args.out, args.base_url, args.images_url):
        print(path)
    if args.haproxy:
        print(haproxy_rules(ds, args.haproxy))
    return 0


if __name__ == "__main__":
    sys.exit(main())
