"""Sources a reader and a lawyer accept: no refused host, one record per URL, no row resting
on Wikipedia alone.

``refused_hosts.csv`` (``host``, ``reason``) lists mirrors, copies, proxies and content farms;
a host refuses its sub-domains too. Journalists extend it by adding a row.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pandas as pd

from dashlib.data.checks.cells import cells
from dashlib.data.csvio import RawTable
from dashlib.data.lists import split_list
from dashlib.data.problems import Problem

# Tables whose rows state facts and cite sources.
FACT_TABLES = ("countries", "territories", "places", "interventions", "deployments", "events")
_WIKIPEDIA = "wikipedia.org"


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


def source_rules(raws: dict[str, RawTable]) -> list[Problem]:
    """Refused hosts, duplicate URLs, rows resting on Wikipedia alone."""
    sources = raws.get("sources")
    if sources is None:
        return []
    problems: list[Problem] = []
    refused: dict[str, str] = {}
    if "refused_hosts" in raws:
        reasons = raws["refused_hosts"].frame.get("reason", pd.Series(dtype=object))
        for index, host in cells(raws["refused_hosts"], "host"):
            reason = reasons.get(index)
            refused[host.lower().removeprefix("www.")] = str(reason) if pd.notna(reason) else ""
    first_seen: dict[str, tuple[str, int]] = {}
    ids = sources.frame.get("source_id", pd.Series(dtype=object))
    wikipedia_only: set[str] = set()
    for index, url in cells(sources, "url"):
        host = host_of(url)
        match = next((h for h in refused if host == h or host.endswith("." + h)), None)
        if match is not None:
            why = f" ({refused[match]})" if refused[match] else ""
            problems.append(
                sources.problem(
                    index, "url", f"host {host} is refused{why}",
                    "cite the original publisher; the copy's own reference list usually names "
                    "it (refused hosts: refused_hosts.csv)",
                )
            )  # fmt: skip
        key = normal_url(url)
        if key in first_seen:
            other_id, other_line = first_seen[key]
            problems.append(
                sources.problem(
                    index, "url", f"same URL as source {other_id} (line {other_line})",
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
        for index, cell in cells(raw, "source_ids"):
            cited = split_list(cell)
            if cited and all(sid in wikipedia_only for sid in cited):
                problems.append(
                    raw.problem(
                    index, "source_ids", "every source of this row is Wikipedia",
                        "add a primary source (agency, newspaper, government, treaty, "
                        "institute) beside it, or leave the fact out",
                    )
                )  # fmt: skip
    return problems
