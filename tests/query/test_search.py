"""Search (SQLite FTS5, porter): stems, every word, place-name variants, ranking, highlighting."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dashlib.data.dataset import load
from dashlib.query import filters
from dashlib.query.search import (
    fold,
    fts5_available,
    highlight,
    parse,
    search,
    search_result,
    variant_groups,
    with_topics,
)
from dashlib.query.selection import Selection
from dashlib.query.summaries import excerpt_summary

from conftest import REPO

GROUPS = [("Kyiv", "Kiev"), ("Chișinău", "Chisinau", "Kishinev"), ("Almaty", "Alma-Ata")]


def frame(*texts: str) -> pd.DataFrame:
    return pd.DataFrame({"text": list(texts), "speaker": "", "speaker_role": ""})


def test_fts5_is_compiled_in() -> None:
    assert fts5_available()


@pytest.mark.parametrize(
    "query,text",
    [
        ("Kyiv", "contributed reporting from Kiev"),
        ("kiev", "in Kyiv today"),
        ("Kishinev", "protests in Chișinău"),
        ("chisinau", "the old name Kishinev"),
        ("Alma-Ata", "large cities like Almaty"),
        ("ALMATY", "then Alma-Ata"),
        ("peacekeepers", "a peacekeeping force"),  # porter stemming
        ("deployed", "troops deploying to the border"),
    ],
)
def test_variants_and_stems_match(query: str, text: str) -> None:
    assert len(search(frame(text), query, GROUPS)) == 1
    pieces = highlight(text, query, GROUPS)
    assert "".join(p for p, _ in pieces) == text  # nothing lost or changed
    assert any(hit for _, hit in pieces)


def test_every_word_must_match_and_variants_widen_only_their_word() -> None:
    texts = frame(
        "Putin sent troops to Kazakhstan.",
        "Kazakhstan asked for help.",  # no Putin
        "Putin spoke in Moscow.",  # no Kazakhstan
        "Putin flew to Almaty.",
    )
    found = search(texts, "Putin Kazakhstan", GROUPS)
    assert found["text"].tolist() == ["Putin sent troops to Kazakhstan."]
    found = search(texts, "Putin Alma-Ata", GROUPS)
    assert found["text"].tolist() == ["Putin flew to Almaty."]


def test_results_are_ranked() -> None:
    texts = frame("Troops once.", "Troops, troops and more troops.", "Nothing here.")
    assert search(texts, "troops", GROUPS)["text"].tolist()[0].startswith("Troops, troops")


def test_the_result_says_which_variant_stood_in() -> None:
    result = search_result(frame("then the city of Almaty"), "Alma-Ata", GROUPS)
    assert result.count == 1 and result.substitution_note() == "matched Almaty for Alma-Ata"
    result = search_result(frame("from Kiev and Kyiv"), "Kiev", GROUPS)
    assert result.substitution_note() == "matched Kyiv for Kiev"
    assert search_result(frame("only Kiev"), "Kiev", GROUPS).substitution_note() == ""


def test_empty_and_punctuation_queries() -> None:
    texts = frame("a", "b")
    assert len(search(texts, "", GROUPS)) == 2
    assert len(search(texts, "   ", GROUPS)) == 2
    assert len(search(texts, '"( *', GROUPS)) == 2  # no word: nothing to search for
    assert len(search(texts, '"AND (', GROUPS)) == 0  # the word "and", not FTS5 syntax
    assert len(search(texts, "zzz", GROUPS)) == 0


def test_query_text_is_never_fts_syntax() -> None:
    texts = frame("NEAR the border", "OR else")
    assert len(search(texts, "NEAR", GROUPS)) == 1
    assert len(search(texts, "or", GROUPS)) == 1


def test_parse_finds_multiword_place_names() -> None:
    terms = parse("Putin in Alma Ata", GROUPS)
    assert [t.typed for t in terms] == ["Putin", "in", "Alma Ata"]
    assert terms[-1].variants == ("Almaty",)


def test_plain_words_are_highlighted_case_insensitively() -> None:
    assert not any(hit for _, hit in highlight("Kazakhstan", "Kyiv", GROUPS))
    pieces = highlight("Troops, troops and TROOPS", "troops", GROUPS)
    assert [p for p, hit in pieces if hit] == ["Troops", "troops", "TROOPS"]


def test_fold_keeps_length() -> None:
    for word in ("Chișinău", "Xankəndi", "Straße", "İstanbul"):
        assert len(fold(word)) == len(word)


@pytest.mark.parametrize(
    "count,query,scope,note,expected",
    [
        (1, "x", "", "", "1 excerpt matches “x”."),
        (2, "x", "Georgia", "", "2 excerpts match “x” within Georgia."),
        (0, "x", "Georgia", "", "No excerpt matches “x” within Georgia."),
        (1, "Alma-Ata", "", "matched Almaty for Alma-Ata", "(matched Almaty for Alma-Ata)"),
        (39, "", "", "", "39 excerpts."),
    ],
)
def test_counts_are_stated_honestly(
    count: int, query: str, scope: str, note: str, expected: str
) -> None:
    assert expected in excerpt_summary(count, query, scope, note)


# The shipped data: the cases the issue reported.
@pytest.fixture(scope="module")
def shipped() -> tuple[pd.DataFrame, list[tuple[str, ...]]]:
    ds = load(REPO / "data")
    rows = with_topics(ds, filters.excerpts(ds, Selection(), dt.date(2026, 1, 1)))
    return rows, variant_groups(ds)


def test_shipped_peacekeepers_finds_the_peacekeeping_excerpts(shipped) -> None:  # type: ignore[no-untyped-def]
    rows, groups = shipped
    found = search(rows, "peacekeepers", groups)
    assert len(found) >= 1
    assert all("peacekeeping" in t.lower() for t in found["topics"] + " " + found["text"])


def test_shipped_putin_kazakhstan_needs_both_words(shipped) -> None:  # type: ignore[no-untyped-def]
    rows, groups = shipped
    found = search(rows, "Putin Kazakhstan", groups)
    assert len(found) >= 1
    assert all("Putin" in t for t in found["text"])
    assert len(found) < len(search(rows, "Putin", groups))


@pytest.mark.parametrize("query,needle", [("Kyiv", "Kiev")])  # no shipped excerpt names Almaty
def test_shipped_excerpts_are_found_by_variant(shipped, query: str, needle: str) -> None:  # type: ignore[no-untyped-def]
    rows, groups = shipped
    found = search(rows, query, groups)
    assert len(found) >= 1 and all(needle in t or query in t for t in found["text"])


def test_shipped_variants_include_the_promised_pairs() -> None:
    groups = [set(g) for g in variant_groups(load(REPO / "data"))]
    for pair in ({"Kyiv", "Kiev"}, {"Chișinău", "Kishinev"}, {"Almaty", "Alma-Ata"}):
        assert any(pair <= g for g in groups), pair
