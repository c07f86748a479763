"""Excerpt search on SQLite FTS5 (porter stemming), with place-name variants and highlighting.

SQLite's FTS5 ships with Python's ``sqlite3`` (it is what Datasette uses); the ``porter``
tokenizer over ``unicode61 remove_diacritics 2`` makes "peacekeepers" find "peacekeeping" and
"Chisinau" find "Chișinău". The rules, in the reader's terms:

- every word typed must match (AND), each word by its stem;
- a place name typed matches any of its variants ("Alma-Ata" finds "Almaty"), and only that
  word widens: "Putin Kazakhstan" still needs both words;
- results are ranked by relevance (bm25; the quote itself weighs more than the speaker);
- :class:`Result` says which variant stood in for which typed name ("matched Almaty for
  Alma-Ata") so the page can say so.

Variants come from the data (``name_variants`` and ``capital_variants`` in countries.csv,
``name_variants`` in territories.csv, ``variants`` in places.csv), so journalists extend them
without touching code.

>>> groups = [("Kyiv", "Kiev")]
>>> [text for text, hit in highlight("From Kiev to Kyiv.", "kyiv", groups) if hit]
['Kiev', 'Kyiv']
>>> [text for text, hit in highlight("Peacekeeping troops", "peacekeepers", []) if hit]
['Peacekeeping']
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from collections.abc import Iterable, Sequence
from contextlib import closing
from dataclasses import dataclass, field

import pandas as pd

from dashlib.data.dataset import Dataset
from dashlib.data.lists import split_list

TOKENIZER = "porter unicode61 remove_diacritics 2"
COLUMNS = ("text", "speaker", "speaker_role", "topics")
# bm25 weights per column: a word in the quote counts more than one in the speaker's role or
# in the titles of the interventions the excerpt is tagged with (``topics``, see with_topics).
WEIGHTS = (10.0, 2.0, 1.0, 1.0)
_OPEN, _CLOSE = "\x01", "\x02"  # highlight markers; never in the data (validated text)
_WORD = re.compile(r"\w+", re.UNICODE)


def fts5_available() -> bool:
    """Whether this Python's SQLite was compiled with FTS5 (Debian's and python.org's are)."""
    try:
        with sqlite3.connect(":memory:") as db:
            db.execute(f"CREATE VIRTUAL TABLE t USING fts5(x, tokenize='{TOKENIZER}')")
    except sqlite3.OperationalError:
        return False
    return True


def fold(text: str) -> str:
    """Lower-case and strip diacritics, keeping one character per input character."""
    out = []
    for char in text:
        base = unicodedata.normalize("NFKD", char)
        base = "".join(c for c in base if not unicodedata.combining(c)) or char
        out.append(base[0].casefold()[0] if base else char)
    return "".join(out)


def words(text: str) -> list[str]:
    """The words of ``text`` as FTS5's unicode61 tokenizer splits them (folded)."""
    return _WORD.findall(fold(text).replace("_", " "))


def variant_groups(ds: Dataset) -> list[tuple[str, ...]]:
    """Groups of names that mean the same place, from the dataset."""
    groups: list[tuple[str, ...]] = []
    for row in ds.countries.itertuples(index=False):
        groups.append((str(row.name), *split_list(row.name_variants)))
        groups.append((str(row.capital), *split_list(row.capital_variants)))
    for row in ds.territories.itertuples(index=False):
        groups.append((str(row.name), *split_list(row.name_variants)))
    for row in ds.places.itertuples(index=False):
        groups.append((str(row.name), *split_list(row.variants)))
    return [g for g in groups if len(g) > 1]


def with_topics(ds: Dataset, frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (excerpts) plus ``topics``: the titles of the interventions each is tagged with.

    A reader searching "peacekeepers" finds the excerpts tagged "Russian peacekeeping
    contingent in Nagorno-Karabakh" even when the quote itself says "helmets blues".
    """
    titles = dict(zip(ds.interventions["intervention_id"], ds.interventions["title"], strict=True))
    out = frame.copy()
    out["topics"] = [
        " · ".join(str(titles.get(i, "")) for i in split_list(ids))
        for ids in frame.get("intervention_ids", pd.Series("", index=frame.index))
    ]
    return out


@dataclass(frozen=True)
class Term:
    """One thing the reader typed: a word, or a place name with its variants."""

    typed: str
    variants: tuple[str, ...] = ()  # other names of the same place (as written in the data)

    def fts(self) -> str:
        """This term in FTS5 query syntax: a quoted phrase, or an OR of phrases."""
        phrases = [self.typed, *self.variants]
        quoted = ['"' + " ".join(words(p)) + '"' for p in phrases if words(p)]
        return quoted[0] if len(quoted) == 1 else "(" + " OR ".join(quoted) + ")"


def parse(query: str, groups: Iterable[Sequence[str]]) -> list[Term]:
    """Split a query into terms: place names (longest first, with variants), then words.

    >>> [(t.typed, t.variants) for t in parse("Putin Alma-Ata", [("Almaty", "Alma-Ata")])]
    [('Putin', ()), ('Alma-Ata', ('Almaty',))]
    """
    tokens = words(query)
    raw = _WORD.findall(query.replace("_", " "))  # same positions, original spelling
    names: list[tuple[tuple[str, ...], str, tuple[str, ...]]] = []
    for group in groups:
        for name in group:
            key = tuple(words(name))
            if key:
                others = tuple(n for n in group if n != name and words(n))
                names.append((key, name, others))
    names.sort(key=lambda item: len(item[0]), reverse=True)
    terms: list[Term] = []
    at = 0
    while at < len(tokens):
        for key, _name, others in names:
            if tuple(tokens[at : at + len(key)]) == key:
                typed = _typed_span(query, raw[at : at + len(key)])
                terms.append(Term(typed, others))
                at += len(key)
                break
        else:
            terms.append(Term(raw[at]))
            at += 1
    unique: list[Term] = []
    for term in terms:
        if term not in unique:
            unique.append(term)
    return unique


def _typed_span(query: str, pieces: Sequence[str]) -> str:
    """The query's text from the first to the last of ``pieces`` ("Alma-Ata", not "Alma Ata")."""
    start = query.find(pieces[0])
    end = query.find(pieces[-1], start) + len(pieces[-1])
    return query[start:end] if start >= 0 and end > start else " ".join(pieces)


def match_expression(terms: Sequence[Term]) -> str:
    """The FTS5 MATCH expression: every term must match (terms are AND-ed)."""
    return " AND ".join(term.fts() for term in terms)


@dataclass(frozen=True)
class Result:
    """Rows found (ranked, best first) and what stood in for what the reader typed."""

    rows: pd.DataFrame
    query: str
    terms: tuple[Term, ...] = ()
    substitutions: tuple[tuple[str, str], ...] = field(default=())  # (found, typed)

    @property
    def count(self) -> int:
        return len(self.rows)

    def substitution_note(self) -> str:
        """``matched Almaty for Alma-Ata``; empty when every match is what was typed."""
        if not self.substitutions:
            return ""
        return "matched " + "; ".join(f"{found} for {typed}" for found, typed in self.substitutions)


def _connect(frame: pd.DataFrame, columns: Sequence[str]) -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    cols = ", ".join(columns)
    db.execute(f"CREATE VIRTUAL TABLE doc USING fts5({cols}, tokenize='{TOKENIZER}')")
    values = [
        tuple("" if pd.isna(v) else str(v) for v in row)
        for row in frame[list(columns)].itertuples(index=False)
    ]
    db.executemany(
        f"INSERT INTO doc(rowid, {cols}) VALUES (?, {', '.join('?' * len(columns))})",
        [(i, *row) for i, row in enumerate(values)],
    )
    return db


def _present(frame: pd.DataFrame, columns: Sequence[str]) -> list[str]:
    return [c for c in columns if c in frame]


def search_result(
    frame: pd.DataFrame,
    query: str,
    groups: Iterable[Sequence[str]],
    columns: Sequence[str] = COLUMNS,
) -> Result:
    """The rows of ``frame`` matching ``query`` ranked best first (all rows when empty)."""
    terms = parse(query, list(groups))
    cols = _present(frame, columns)
    if not terms or not cols or frame.empty:
        rows = frame if not terms else frame.iloc[0:0]
        return Result(rows, query.strip(), tuple(terms))
    weights = [WEIGHTS[list(COLUMNS).index(c)] if c in COLUMNS else 1.0 for c in cols]
    with closing(_connect(frame, cols)) as db:
        rank = f"bm25(doc, {', '.join(map(str, weights))})"
        found = db.execute(
            f"SELECT rowid FROM doc WHERE doc MATCH ? ORDER BY {rank}",
            (match_expression(terms),),
        ).fetchall()
    rows = frame.iloc[[r[0] for r in found]]
    return Result(rows, query.strip(), tuple(terms), _substitutions(rows, terms, cols))


def _substitutions(
    rows: pd.DataFrame, terms: Sequence[Term], columns: Sequence[str]
) -> tuple[tuple[str, str], ...]:
    """Variants the found rows contain where the typed name itself does not appear."""
    if rows.empty:
        return ()
    text = (
        " "
        + " ".join(
            words(" ".join(rows[c].fillna("").astype(str).str.cat(sep=" ") for c in columns))
        )
        + " "
    )
    out: list[tuple[str, str]] = []
    for term in terms:
        for variant in term.variants:
            if f" {' '.join(words(variant))} " in text and (variant, term.typed) not in out:
                if fold(variant) != fold(term.typed):
                    out.append((variant, term.typed))
    return tuple(out)


def search(
    frame: pd.DataFrame,
    query: str,
    groups: Iterable[Sequence[str]],
    columns: Sequence[str] = COLUMNS,
) -> pd.DataFrame:
    """Rows of ``frame`` matching every word of ``query``, best first (all rows when empty)."""
    return search_result(frame, query, groups, columns).rows


def matches(text: str, query: str, groups: Iterable[Sequence[str]]) -> bool:
    """Whether ``text`` alone matches ``query`` (every word, stems and variants)."""
    return not search(pd.DataFrame({"text": [text]}), query, groups).empty


def highlight(text: str, query: str, groups: Iterable[Sequence[str]]) -> list[tuple[str, bool]]:
    """Split ``text`` into (segment, is_match) pieces, in order; joining them gives ``text``.

    FTS5's own ``highlight()`` marks the words it matched, so what is marked is exactly what
    was found (stems and variants included). Each word of the query is marked wherever it
    occurs, even in a text that does not match the whole query.
    """
    if not text:
        return []
    terms = parse(query, list(groups))
    if not terms or _OPEN in text or _CLOSE in text:
        return [(text, False)]
    marked = text
    with closing(_connect(pd.DataFrame({"text": [text]}), ["text"])) as db:
        row = db.execute(
            "SELECT highlight(doc, 0, ?, ?) FROM doc WHERE doc MATCH ?",
            (_OPEN, _CLOSE, " OR ".join(term.fts() for term in terms)),
        ).fetchone()
    if row is not None:
        marked = str(row[0])
    pieces: list[tuple[str, bool]] = []
    for part in re.split(f"({_OPEN}[^{_CLOSE}]*{_CLOSE})", marked):
        if not part:
            continue
        hit = part.startswith(_OPEN)
        pieces.append((part.strip(_OPEN + _CLOSE), hit))
    return pieces
