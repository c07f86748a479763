"""The newsroom's rules on sources, quotations and consistency between tables.

A Table Schema says what a cell may hold; these rules say what a desk will publish:

* **sources** — no URL on a refused host (``refused_hosts.csv``: mirrors, copies, proxies,
  content farms; a host refuses its sub-domains too), one record per URL, and no row that
  rests on Wikipedia alone;
* **quotations** — each excerpt a verbatim passage of an article whose text the project holds
  (``articles/<text_file>``), at most :data:`MAX_EXCERPT_WORDS` words, and all excerpts of one
  article together at most :data:`MAX_ARTICLE_SHARE` of its words;
* **one story across tables** — a site's period inside its intervention's, the same troop
  figure for an intervention and its only site, an intervention's start and end on the dates
  of the events marked as its start and end.

Every problem is ``FILE:LINE:COLUMN`` with a hint, like the schema's.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd

from dashlib.data import dates
from dashlib.data.csvio import RawTable
from dashlib.data.problems import Problem

MAX_EXCERPT_WORDS = 60
MAX_ARTICLE_SHARE = 0.25
ARTICLES_DIR = "articles"
# Tables whose rows state facts and cite sources.
FACT_TABLES = ("countries", "territories", "places", "interventions", "deployments", "events")
_WIKIPEDIA = "wikipedia.org"


# Publisher types a reader should see named beside the publisher (datapackage.json describes
# each); gazetteers only place sites on the map and are credited apart.
PARTISAN_LABELS = {
    "state_media_party": "state media",
    "partisan_media": "partisan media",
    "de_facto_authority": "de facto authority",
}
GAZETTEER = "gazetteer"


def publisher_label(publisher: str, publisher_type: str) -> str:
    """The publisher as a reader sees it: state and partisan sources say what they are.

    >>> publisher_label("TASS", "state_media_party")
    'TASS (state media)'
    >>> publisher_label("Reuters", "agency")
    'Reuters'
    """
    kind = PARTISAN_LABELS.get(publisher_type)
    return f"{publisher} ({kind})" if kind else publisher


def words(text: str) -> int:
    """Words as a reader counts them: runs of non-space characters.

    >>> words("Russian peacekeepers  arrived in\\nNovember.")
    5
    """
    return len(text.split())


def host_of(url: str) -> str:
    """Lower-case host without ``www.``.

    >>> host_of("https://WWW.Example.org/a")
    'example.org'
    """
    host = (urlsplit(url.strip()).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def normal_url(url: str) -> str:
    """One spelling per address: https, host without www., no trailing slash or /amp, no
    fragment.

    >>> normal_url("http://www.rferl.org/a/123.html/amp/#top")
    'https://rferl.org/a/123.html'
    """
    parts = urlsplit(url.strip())
    path = re.sub(r"(/amp)?/*$", "", parts.path)
    query = f"?{parts.query}" if parts.query else ""
    return f"https://{host_of(url)}{path}{query}"


def _cells(raw: RawTable, column: str) -> Iterator[tuple[int, str]]:
    """(row index, text) of the non-empty cells of ``column``."""
    if column not in raw.frame:
        return
    for index, value in raw.frame[column].items():
        if isinstance(value, str) and value.strip():
            yield int(index), value.strip()


def _problem(raw: RawTable, index: int, column: str, message: str, hint: str) -> Problem:
    return Problem(raw.file, raw.lines[index], raw.columns.get(column, 0), message, hint, column)


def _split(value: object) -> list[str]:
    if not isinstance(value, str):
        return []
    return [part.strip() for part in value.split(";") if part.strip()]


# --------------------------------------------------------------------------- sources


def source_rules(raws: dict[str, RawTable]) -> list[Problem]:
    """Refused hosts, duplicate URLs, rows resting on Wikipedia alone."""
    sources = raws.get("sources")
    if sources is None:
        return []
    problems: list[Problem] = []
    refused: dict[str, str] = {}
    if "refused_hosts" in raws:
        reasons = raws["refused_hosts"].frame.get("reason", pd.Series(dtype=object))
        for index, host in _cells(raws["refused_hosts"], "host"):
            reason = reasons.get(index)
            refused[host.lower().removeprefix("www.")] = str(reason) if pd.notna(reason) else ""
    first_seen: dict[str, tuple[str, int]] = {}
    ids = sources.frame.get("source_id", pd.Series(dtype=object))
    wikipedia_only: set[str] = set()
    for index, url in _cells(sources, "url"):
        host = host_of(url)
        match = next((h for h in refused if host == h or host.endswith("." + h)), None)
        if match is not None:
            why = f" ({refused[match]})" if refused[match] else ""
            problems.append(
                _problem(
                    sources, index, "url", f"host {host} is refused{why}",
                    "cite the original publisher; the copy's own reference list usually names "
                    "it (refused hosts: refused_hosts.csv)",
                )
            )  # fmt: skip
        key = normal_url(url)
        if key in first_seen:
            other_id, other_line = first_seen[key]
            problems.append(
                _problem(
                    sources, index, "url", f"same URL as source {other_id} (line {other_line})",
                    "keep one record per URL: merge the two and point source_ids at one",
                )
            )  # fmt: skip
        else:
            first_seen[key] = (str(ids.get(index, "")), sources.lines[index])
        if host == _WIKIPEDIA or host.endswith("." + _WIKIPEDIA):
            wikipedia_only.add(str(ids.get(index, "")))
    for name in FACT_TABLES:
        raw = raws.get(name)
        if raw is None:
            continue
        for index, cell in _cells(raw, "source_ids"):
            cited = _split(cell)
            if cited and all(sid in wikipedia_only for sid in cited):
                problems.append(
                    _problem(
                        raw, index, "source_ids", "every source of this row is Wikipedia",
                        "add a primary source (agency, newspaper, government, treaty, "
                        "institute) beside it, or leave the fact out",
                    )
                )  # fmt: skip
    return problems


# --------------------------------------------------------------------------- quotations


def article_texts(raws: dict[str, RawTable], data_dir: Path) -> dict[str, str | None]:
    """article_id -> the article's text held in ``data/articles/`` (None when missing)."""
    articles = raws.get("articles")
    if articles is None:
        return {}
    ids = articles.frame.get("article_id", pd.Series(dtype=object))
    out: dict[str, str | None] = {}
    for index, article_id in ids.items():
        if not isinstance(article_id, str):
            continue
        name = articles.frame.get("text_file", pd.Series(dtype=object)).get(index)
        path = data_dir / ARTICLES_DIR / str(name) if isinstance(name, str) else None
        out[article_id] = (
            path.read_text(encoding="utf-8") if path is not None and path.is_file() else None
        )
    return out


def quotation_rules(raws: dict[str, RawTable], data_dir: Path) -> list[Problem]:
    """Excerpts: held text, verbatim, short, a small share of their article."""
    problems: list[Problem] = []
    articles = raws.get("articles")
    texts = article_texts(raws, data_dir)
    if articles is not None:
        for index, name in _cells(articles, "text_file"):
            if not (data_dir / ARTICLES_DIR / name).is_file():
                problems.append(
                    _problem(
                        articles, index, "text_file", f"no file {ARTICLES_DIR}/{name}",
                        "store the article's text with `python -m dashlib add-article`",
                    )
                )  # fmt: skip
    excerpts = raws.get("excerpts")
    if excerpts is None:
        return problems
    quoted: dict[str, int] = defaultdict(int)
    last_row: dict[str, int] = {}
    article_of = excerpts.frame.get("article_id", pd.Series(dtype=object))
    for index, text in _cells(excerpts, "text"):
        article_id = article_of.get(index)
        count = words(text)
        if count > MAX_EXCERPT_WORDS:
            problems.append(
                _problem(
                    excerpts, index, "text",
                    f"the excerpt has {count} words; at most {MAX_EXCERPT_WORDS}",
                    "quote the sentence that carries the fact; put the rest in your own words",
                )
            )  # fmt: skip
        if not isinstance(article_id, str) or article_id not in texts:
            continue  # an unknown article is the foreign-key rule's problem
        body = texts[article_id]
        if body is None:
            problems.append(
                _problem(
                    excerpts, index, "article_id",
                    f"the project holds no text of article {article_id}",
                    "quote only articles whose text is stored in data/articles/ "
                    "(python -m dashlib add-article); else write the fact in your own words",
                )
            )  # fmt: skip
            continue
        if text not in body:
            problems.append(
                _problem(
                    excerpts, index, "text", f"the text is not verbatim in article {article_id}",
                    "copy the passage exactly as the article has it, errors included",
                )
            )  # fmt: skip
        quoted[article_id] += count
        last_row[article_id] = index
    for article_id, count in quoted.items():
        body = texts[article_id]
        total = words(body) if body else 0
        if total and count > MAX_ARTICLE_SHARE * total:
            problems.append(
                _problem(
                    excerpts, last_row[article_id], "text",
                    f"the excerpts of {article_id} quote {count} of its {total} words "
                    f"({count / total:.0%}); at most {MAX_ARTICLE_SHARE:.0%}",
                    "quotation, not republication: keep the passages that carry the facts "
                    "the views show",
                )
            )  # fmt: skip
    return problems


# --------------------------------------------------------------------------- one story


def _period(start: object, end: object) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The days a row covers: its start's first day to its end's last (open end: no limit)."""
    if not isinstance(start, str) or dates.parse_partial(start) is None:
        return None
    last = (
        dates.period_end(end)
        if isinstance(end, str) and dates.parse_partial(end) is not None
        else pd.Timestamp.max
    )
    return dates.period_start(start), last


def consistency_rules(raws: dict[str, RawTable]) -> list[Problem]:
    """Sites inside their intervention's period, one troop figure per story, marked events."""
    interventions, sites, events = (raws.get(n) for n in ("interventions", "deployments", "events"))
    if interventions is None:
        return []
    iv = interventions.frame
    by_id = {str(v): i for i, v in iv["intervention_id"].items() if isinstance(v, str)}
    problems: list[Problem] = []
    if sites is not None:
        problems += _sites_in_period(sites, iv, by_id)
        problems += _one_troop_figure(sites, iv, by_id)
    if events is not None:
        problems += _marked_events(events, interventions, by_id)
    return problems


def _sites_in_period(sites: RawTable, iv: pd.DataFrame, by_id: dict[str, int]) -> list[Problem]:
    problems = []
    frame = sites.frame
    for index, intervention in _cells(sites, "intervention_id"):
        if intervention not in by_id:
            continue
        row = by_id[intervention]
        outer = _period(iv.at[row, "start_date"], iv.at[row, "end_date"])
        inner = _period(frame.at[index, "start_date"], frame.at[index, "end_date"])
        if outer is None or inner is None:
            continue
        # Partial dates name periods: a site "1992" fits an intervention from 1992-07-21.
        site_start_last = dates.period_end(str(frame.at[index, "start_date"]))
        if site_start_last < outer[0]:
            problems.append(
                _problem(
                    sites, index, "start_date",
                    f"the site starts before its intervention {intervention} "
                    f"({iv.at[row, 'start_date']})",
                    "correct either date, or link the site to the intervention it belongs to",
                )
            )  # fmt: skip
        end = frame.at[index, "end_date"]
        their_end = iv.at[row, "end_date"] if isinstance(iv.at[row, "end_date"], str) else "open"
        site_end_first = dates.period_start(end) if isinstance(end, str) else pd.Timestamp.max
        if site_end_first > outer[1]:
            problems.append(
                _problem(
                    sites, index, "end_date",
                    f"the site ends after its intervention {intervention} "
                    f"({their_end})",
                    "correct either date, or link the site to the intervention it belongs to",
                )
            )  # fmt: skip
    return problems


_TROOPS = ("troops_low", "troops_high", "troops_as_of")


def _text(frame: pd.DataFrame, index: int, column: str) -> str:
    value = frame.at[index, column] if column in frame else None
    return value.strip() if isinstance(value, str) else ""


def _one_troop_figure(sites: RawTable, iv: pd.DataFrame, by_id: dict[str, int]) -> list[Problem]:
    """One id, one troop figure: a site whose id is also an intervention's id tells the same
    story, so both rows give the same troops_low, troops_high and troops_as_of (or none)."""
    frame = sites.frame
    problems = []
    for index, site_id in _cells(sites, "site_id"):
        if site_id not in by_id:
            continue
        row = by_id[site_id]
        theirs = tuple(_text(iv, row, c) for c in _TROOPS)
        ours = tuple(_text(frame, index, c) for c in _TROOPS)
        if theirs != ours:
            problems.append(
                _problem(
                    sites, index, "troops_high",
                    f"interventions.csv gives {_figure(theirs)} for {site_id}; this row "
                    f"{_figure(ours)}",
                    "one id, one troop figure: enter the same troops_low, troops_high and "
                    "troops_as_of in both files (or rename the site if it is another story)",
                )
            )  # fmt: skip
    return problems


def _figure(troops: tuple[str, ...]) -> str:
    low, high, as_of = troops
    if not high:
        return "no troop figure"
    number = low if low == high else f"{low}–{high}"
    return f"{number} troops as of {as_of or '(no date)'}"


def _marked_events(
    events: RawTable, interventions: RawTable, by_id: dict[str, int]
) -> list[Problem]:
    """An event marked ``start``/``end`` falls within its intervention's start/end date, and
    each intervention has at most one of each."""
    frame, iv = events.frame, interventions.frame
    problems = []
    seen: dict[tuple[str, str], int] = {}
    column = {"start": "start_date", "end": "end_date"}
    for index, mark in _cells(events, "marks"):
        intervention = frame.at[index, "intervention_id"]
        if mark not in column or not isinstance(intervention, str) or intervention not in by_id:
            continue
        key = (intervention, mark)
        if key in seen:
            problems.append(
                _problem(
                    events, index, "marks",
                    f"a second {mark} event for {intervention} (first on line {seen[key]})",
                    f"mark only the event that fixes the intervention's {column[mark]}",
                )
            )  # fmt: skip
            continue
        seen[key] = events.lines[index]
        fixed = iv.at[by_id[intervention], column[mark]]
        when = frame.at[index, "date"]
        if not isinstance(fixed, str) or not isinstance(when, str):
            continue
        if dates.parse_partial(fixed) is None or dates.parse_partial(when) is None:
            continue
        inside = dates.period_start(fixed) <= dates.period_start(when) <= dates.period_end(fixed)
        if not inside:
            problems.append(
                _problem(
                    events, index, "date",
                    f"this event marks the {mark} of {intervention}, dated {fixed} there",
                    f"make the intervention's {column[mark]} and this date agree "
                    "(the convention per kind is in data/README.md)",
                )
            )  # fmt: skip
    return problems


def editorial_checks(raws: dict[str, RawTable], data_dir: Path) -> list[Problem]:
    """All the rules of this module."""
    return source_rules(raws) + quotation_rules(raws, data_dir) + consistency_rules(raws)
