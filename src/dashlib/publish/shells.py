"""Per-page HTML shells so shared links preview without JavaScript (title, description, image).

Streamlit serves one ``index.html`` for every page, titled "Streamlit"; the page's title is
set later by JavaScript, which link-preview robots (chat apps, social networks) do not run.
A shell is Streamlit's own ``index.html`` (the installed version's, so its script and style
links are the running server's) with the page's ``<title>``, description, canonical link and
Open Graph / Twitter card tags. A browser then runs the app exactly as from Streamlit's own
page (the shell also sets the screen-width cookies, :mod:`dashlib.viewport`, before the
app's scripts run); a robot reads the tags.

The app server answers each page's HTML request with its shell itself
(:mod:`dashlib.publish.preview_server`, mounted by ``serve_app.py``), so ``make run``,
Docker, Kubernetes and ``make serve`` all preview. The descriptions hold counts from the
data, stated "as of" the day the data was last checked (``Dataset.last_updated``), never
"today": a shell stays true until the data changes.

For static hosting or a proxy of your own, the command line writes the shells and the two
social cards they point at (``map-social.png``, ``timeline-social.png``)::

    python -m dashlib.publish.shells build/shells \
        --base-url https://reach.example.org \
        --images-url https://reach.example.org/previews --cards build/shells

Without ``--images-url``, or when the cards cannot be drawn (no Chromium), the shells carry
no ``og:image``.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from dashlib import paths
from dashlib.data.dataset import Dataset, load
from dashlib.query.selection import Selection
from dashlib.query.summaries import key_figures, timeline_summary
from dashlib.viewport import COOKIE_JS

SITE_NAME = "Russia's military reach since 1991"
# The pages' URL segments below the app's base path (page_meta's paths but the default "").
PAGE_SEGMENTS = ("overview", "map", "timeline", "excerpts", "about", "corrections")
# Streamlit's page finds the server by trying the page's own path first (/about/_stcore/health,
# /about/_stcore/host-config: two 404s, reported as console errors on every deep link), then
# the path above it. A shell knows where the server is: the page's path less its page
# segment, under any base path or proxy prefix. Streamlit reads ``window.__streamlit`` (its
# documented embedding settings) when its scripts load, so this runs first. No "<".
BASE_URL_JS = (
    "(function(){var s=location.pathname.replace(/[/]+$/,'').split('/');"
    f"if(s.length>1&&{json.dumps(list(PAGE_SEGMENTS))}.indexOf(s[s.length-1])>=0)s.pop();"
    "window.__streamlit=Object.assign({},window.__streamlit,"
    "{BACKEND_BASE_URL:location.origin+s.join('/')+'/'});})();"
)
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


def shell_html(index: str, meta: PageMeta, base_url: str, images_url: str | None) -> str:
    """``index`` with this page's title and preview tags (every value HTML-escaped); no
    image tags when ``images_url`` is None (no card to point at)."""
    e = html.escape
    url = f"{base_url.rstrip('/')}/{meta.path}"
    tags = [
        f"    <title>{e(meta.title)}</title>",
        f'    <meta name="description" content="{e(meta.description)}" />',
        f'    <link rel="canonical" href="{e(url)}" />',
        '    <meta property="og:type" content="website" />',
        f'    <meta property="og:site_name" content="{e(SITE_NAME)}" />',
        f'    <meta property="og:title" content="{e(meta.title)}" />',
        f'    <meta property="og:description" content="{e(meta.description)}" />',
        f'    <meta property="og:url" content="{e(url)}" />',
        f'    <meta name="twitter:title" content="{e(meta.title)}" />',
        f'    <meta name="twitter:description" content="{e(meta.description)}" />',
    ]
    if images_url is None:
        tags.append('    <meta name="twitter:card" content="summary" />')
    else:
        image = f"{images_url.rstrip('/')}/{meta.image}"
        tags += [
            f'    <meta property="og:image" content="{e(image)}" />',
            '    <meta property="og:image:width" content="1200" />',
            '    <meta property="og:image:height" content="675" />',
            f'    <meta property="og:image:alt" content="{e(meta.description)}" />',
            '    <meta name="twitter:card" content="summary_large_image" />',
            f'    <meta name="twitter:image" content="{e(image)}" />',
        ]
    # Before Streamlit's scripts: the screen's width in cookies, so the first run of a first
    # visit draws a phone's map for its screen (dashlib.viewport), and where the server is
    # (BASE_URL_JS), so the page never asks its own path for it.
    tags.append(f"    <script>{COOKIE_JS}{BASE_URL_JS}</script>")
    text = "\n".join(tags)
    title = re.compile(r"\s*<title>.*?</title>", flags=re.S)
    shell, count = title.subn(lambda _: "\n" + text, index, count=1)
    if count != 1:
        raise ValueError("Streamlit's index.html has no <title> to replace")
    return shell


def shells_by_path(
    index: str, metas: list[PageMeta], base_url: str, images_url: str | None
) -> dict[str, str]:
    """Each page's shell by URL path ("" is the default page). Paths that show one page
    ("" and "overview") share its first entry's shell, so their canonical link is one URL."""
    by_file: dict[str, str] = {}
    for meta in metas:
        if meta.file not in by_file:
            by_file[meta.file] = shell_html(index, meta, base_url, images_url)
    return {meta.path: by_file[meta.file] for meta in metas}


def write_shells(ds: Dataset, out: Path, base_url: str, images_url: str | None) -> list[Path]:
    """One shell per page file in ``out``; returns the files written."""
    metas = page_meta(ds)
    shells = shells_by_path(streamlit_index(), metas, base_url, images_url)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for meta in metas:
        path = out / f"{meta.file}.html"
        if path not in written:
            path.write_text(shells[meta.path], encoding="utf-8")
            written.append(path)
    return written


def write_cards(ds: Dataset, out: Path, browser: str | None = None) -> list[Path]:
    """The social cards the shells point at (``map-social.png``, ``timeline-social.png``):
    the export's cards of the map and the timeline, drawn for the day the data was last
    checked (as the descriptions count). Raises :class:`~dashlib.publish.images.ChromiumMissing`
    without Chromium."""
    from dashlib.publish.catalogue import build_figure, card_figure, chart_list
    from dashlib.publish.images import SOCIAL_SIZE, image_jobs, render_images

    out.mkdir(parents=True, exist_ok=True)
    wanted = {meta.image for meta in page_meta(ds)}
    batches = {}
    for chart in chart_list(ds, Selection()):
        if f"{chart.name}-social.png" in wanted:
            # The export's card: a map laid out for the card's size (its labels placed for it).
            card = card_figure(ds, chart, ds.last_updated, SOCIAL_SIZE)
            fig = card if card is not None else build_figure(ds, chart, ds.last_updated)
            jobs = image_jobs(fig, out / chart.name, card)
            batches[chart.name] = [j for j in jobs if str(j["path"]).endswith("-social.png")]
    _, _, errors = render_images(batches, browser)
    if errors:
        raise RuntimeError("social cards not written: " + "; ".join(errors))
    return [out / name for name in sorted(wanted)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m dashlib.publish.shells",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("out", type=Path)
    parser.add_argument("--base-url", required=True, help="the app's public address")
    parser.add_argument("--images-url", default=None, help="where the social cards are served")
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--cards", type=Path, default=None, help="draw the social cards here")
    args = parser.parse_args(argv)
    ds = load(args.data or paths.data_dir())
    images_url, code = args.images_url, 0
    if args.cards:  # first: shells name an image only if it was drawn
        from dashlib.publish.images import ChromiumMissing

        try:
            for path in write_cards(ds, args.cards):
                print(path)
        except (ChromiumMissing, RuntimeError) as err:
            print(f"shells: {err} (shells written without og:image)", file=sys.stderr)
            images_url, code = None, 3
    for path in write_shells(ds, args.out, args.base_url, images_url):
        print(path)
    return code


if __name__ == "__main__":
    sys.exit(main())
