"""Excerpts of the seed article must be verbatim quotations of it.

The seed article is the aggregator "Latest News Headlines"' machine translation of the
New York Times article "In Kazakhstan, Putin Again Seizes on Unrest to Try to Expand
Influence" (2022-01-06). A byte-for-byte copy of the text is committed at
data/articles/000_6b9e6e83845f8431.txt; quotes must match it exactly, errors included.

Paragraph convention: paragraphs are blocks separated by a blank line; paragraph 1 is the
first body paragraph ("Long adept at stoking unrest ..."), so the aggregator's page title,
headline and "| Latest News Headlines | World News" line are not counted. The body runs to
the contributor line ("Valerie Hopkins in Moscow ... contributed reporting.", paragraph 29);
the aggregator's footer after it is not part of the body.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
SEED_PATH = DATA / "articles" / "000_6b9e6e83845f8431.txt"
ARTICLE_ID = "lnh-2022-01-06-kazakhstan-putin-unrest"
FIRST_BODY_PARAGRAPH = "Long adept at stoking unrest"
LAST_BODY_PARAGRAPH = "Valerie Hopkins in Moscow and Andrew Kramer in Kiev contributed reporting."


def _read_csv(name: str) -> list[dict[str, str]]:
    with open(DATA / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


SEED = SEED_PATH.read_text(encoding="utf-8")
ARTICLES = {row["article_id"]: row for row in _read_csv("articles.csv")}
EXCERPTS = [row for row in _read_csv("excerpts.csv") if row["article_id"] == ARTICLE_ID]


def _body_paragraphs(text: str) -> list[str]:
    blocks = text.split("\n\n")
    start = next(i for i, b in enumerate(blocks) if b.startswith(FIRST_BODY_PARAGRAPH))
    end = next(i for i, b in enumerate(blocks) if b == LAST_BODY_PARAGRAPH)
    return blocks[start : end + 1]


PARAGRAPHS = _body_paragraphs(SEED)


def test_seed_copy_is_the_expected_text() -> None:
    # Quick sanity checks that the committed copy is the machine translation, errors included.
    assert len(SEED.encode("utf-8")) == 8928
    assert "one of the dearest to Mr. Poutine." in SEED
    assert "“helmets blues ”to stop a vicious war" in SEED
    assert len(PARAGRAPHS) == 29


def test_article_row() -> None:
    assert ARTICLE_ID in ARTICLES
    article = ARTICLES[ARTICLE_ID]
    # The title is the headline line of the republished page, exactly.
    assert article["title"] == SEED.split("\n")[2]
    assert article["outlet"] == "Latest News Headlines"
    assert article["original_outlet"] == "The New York Times"
    assert article["machine_translation"] == "true"
    assert article["published"] == "2022-01-06"
    assert article["published_precision"] == "day"


def test_enough_excerpts_and_no_more_than_a_quarter_of_the_article() -> None:
    # Quotation, not republication: at most 25 % of the article's words (issue 12).
    assert len(EXCERPTS) >= 5
    assert sum(len(r["text"].split()) for r in EXCERPTS) <= 0.25 * len(SEED.split())
    ids = [row["excerpt_id"] for row in EXCERPTS]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("row", EXCERPTS, ids=[row["excerpt_id"] for row in EXCERPTS])
def test_excerpt_is_verbatim(row: dict[str, str]) -> None:
    text = row["text"]
    assert text, "empty excerpt"
    assert text == text.strip(), "leading/trailing whitespace"
    assert text in SEED, "not an exact substring of the seed text"


@pytest.mark.parametrize("row", EXCERPTS, ids=[row["excerpt_id"] for row in EXCERPTS])
def test_excerpt_paragraph_number(row: dict[str, str]) -> None:
    n = int(row["paragraph"])
    assert 1 <= n <= len(PARAGRAPHS)
    assert row["text"] in PARAGRAPHS[n - 1], (
        f"not in paragraph {n}; found in "
        f"{[i for i, p in enumerate(PARAGRAPHS, 1) if row['text'] in p]}"
    )


@pytest.mark.parametrize("row", EXCERPTS, ids=[row["excerpt_id"] for row in EXCERPTS])
def test_speaker_as_the_text_gives_it(row: dict[str, str]) -> None:
    # Speaker names and roles are copied from the article, so they must occur in it.
    for column in ("speaker", "speaker_role"):
        if row[column]:
            assert row[column] in SEED, f"{column} not found in the seed text"
    if row["speaker_role"]:
        assert row["speaker"], "role without a speaker"
