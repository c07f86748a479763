"""Per-page HTML shells so shared links preview without JavaScript (title, description, image).

Streamlit serves one ``index.html`` for every page, titled "Streamlit"; the page's title is
set later by JavaScript, which link-preview robots (chat apps, social networks) do not run.
Streamlit 1.67 has no custom routes, so the front proxy answers a page's HTML request with a
shell written here: Streamlit's own ``index.html`` (the installed version's, so its script
and style links are the running server's) with the page's ``<title>``, description, canonical
link and Open Graph / Twitter card tags. A browser then runs the app exactly as from
Streamlit's own page; a robot reads the tags.

The descriptions hold counts from the data, stated "as of" the day the data was last checked
(``Dataset.last_updated``), never "today": a shell written once stays true. ``make serve``
(``deploy/serve.py start``) writes them at every start, with the two social cards they point
at (``map-social.png``, ``timeline-social.png``, drawn for that same day) in
``static/previews/`` (served by Streamlit at ``/app/static/previews/``), and the HAProxy
lines that serve them. By hand::

    python -m dashlib.publish.shells build/shells \
        --base-url https://reach.example.org \
        --images-url https://reach.example.org/app/static/previews \
        --cards static/previews --rules build/shells/haproxy.rules

HAProxy (2.2 or later) serves them itself, in the frontend, before the Streamlit backends,
one line per page (``file`` takes no expression; ``METH_GET`` is GET or HEAD)::

    acl wants_html req.hdr(accept) -m sub text/html
    http-request return status 200 content-type "text/html; charset=utf-8" \
        file /srv/reach/shells/map.html if METH_GET { path /map } wants_html
    ...

Only the page's HTML is answered this way (its websocket, scripts and data still reach
Streamlit), and the query string stays in the browser: the app reads ``?country=…`` as
usual. Tested with HAProxy 2.6 in tests/publish/test_shells.py and tests/test_deploy_serve.py.
"""

from __future__ import annotations

import argparse
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


def page_meta(ds: Dataset) -> list[PageMeta]:
    """Title, description and image of every public page, from the data itself, counted on
    the day the data was last checked (so no description says "today" and goes stale)."""
    everything = Selection()
    as_of = ds.last_updated
    figures = key_figures(ds, as_of)
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
                "Where Russian forces have been deployed across the former Soviet Union since "
                f"1991: {figures['interventions']} interventions, and "
                f"{figures['sites_active']} sites active as of {as_of:%-d %B %Y} (when the "
                "data was last checked), each with its sources."
            ),
            "map-social.png",
        ),
        PageMeta(
            "timeline",
            "timeline",
            f"Timeline of interventions · {SITE_NAME}",
            _shorten(timeline_summary(ds, everything, as_of)),
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


def write_shells(ds: Dataset, out: Path, base_url: str, images_url: str) -> list[Path]:
    """One shell per page file in ``out``; returns the files written."""
    index = streamlit_index()
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for meta in page_meta(ds):
        path = out / f"{meta.file}.html"
        if path in written:
            continue
        path.write_text(shell_html(index, meta, base_url, images_url), encoding="utf-8")
        written.append(path)
    return written


def haproxy_rules(ds: Dataset, folder: str) -> str:
    """The HAProxy lines serving the shells in ``folder`` for the pages' GET (or HEAD)
    requests that accept HTML; everything else goes on to the app."""
    lines = ["acl wants_html req.hdr(accept) -m sub text/html"]
    for meta in page_meta(ds):
        lines.append(
            'http-request return status 200 content-type "text/html; charset=utf-8" '
            f"file {folder.rstrip('/')}/{meta.file}.html "
            f"if METH_GET {{ path /{meta.path} }} wants_html"
        )
    return "\n".join(lines)


def write_cards(ds: Dataset, out: Path, browser: str | None = None) -> list[Path]:
    """The social cards the shells point at (``map-social.png``, ``timeline-social.png``):
    the export's cards of the map and the timeline, drawn for the day the data was last
    checked (as the descriptions count). Raises :class:`~dashlib.publish.images.ChromiumMissing`
    without Chromium."""
    from dashlib.publish.catalogue import build_figure, chart_list
    from dashlib.publish.images import image_jobs, render_images

    out.mkdir(parents=True, exist_ok=True)
    wanted = {meta.image for meta in page_meta(ds)}
    batches = {}
    for chart in chart_list(ds, Selection()):
        if f"{chart.name}-social.png" in wanted:
            fig = build_figure(ds, chart, ds.last_updated)
            jobs = image_jobs(fig, out / chart.name)
            batches[chart.name] = [j for j in jobs if str(j["path"]).endswith("-social.png")]
    _, _, errors = render_images(batches, browser)
    if errors:
        raise RuntimeError("social cards not written: " + "; ".join(errors))
    return [out / name for name in sorted(wanted)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashlib.publish.shells", description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--base-url", required=True, help="the app's public address")
    parser.add_argument("--images-url", required=True, help="where the social cards are")
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--haproxy", default=None, help="print HAProxy rules for this folder")
    parser.add_argument("--rules", type=Path, default=None, help="write HAProxy rules here")
    parser.add_argument("--cards", type=Path, default=None, help="draw the social cards here")
    args = parser.parse_args(argv)
    ds = load(args.data or paths.data_dir())
    for path in write_shells(ds, args.out, args.base_url, args.images_url):
        print(path)
    if args.rules:
        args.rules.write_text(haproxy_rules(ds, str(args.out.resolve())) + "\n", encoding="utf-8")
        print(args.rules)
    if args.haproxy:
        print(haproxy_rules(ds, args.haproxy))
    if args.cards:
        from dashlib.publish.images import ChromiumMissing

        try:
            for path in write_cards(ds, args.cards):
                print(path)
        except (ChromiumMissing, RuntimeError) as err:
            print(f"shells: {err}", file=sys.stderr)
            return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
