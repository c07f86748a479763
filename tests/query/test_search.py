"""Search finds place-name variants, ignores case and diacritics, and marks every match."""

from __future__ import annotations

import pytest

from dashlib.data.dataset import load
from dashlib.query.search import expand, fold, highlight, search, variant_groups

from conftest import REPO

GROUPS = [("Kyiv", "Kiev"), ("Chișinău", "Chisinau", "Kishinev"), ("Almaty", "Alma-Ata")]


@pytest.mark.parametrize(
    "query,text",
    [
        ("Kyiv", "contributed reporting from Kiev"),
        ("kiev", "in Kyiv today"),
        ("Kishinev", "protests in Chișinău"),
        ("chisinau", "the old name Kishinev"),
        ("Alma-Ata", "large cities like Almaty"),
        ("ALMATY", "then Alma-Ata"),
    ],
)
def test_variants_match(query: str, text: str) -> None:
    pieces = highlight(text, query, GROUPS)
    assert "".join(p for p, _ in pieces) == text  # nothing lost or changed
    assert any(hit for _, hit in pieces)


def test_no_false_match_and_plain_words() -> None:
    assert not any(hit for _, hit in highlight("Kazakhstan", "Kyiv", GROUPS))
    pieces = highlight("Troops, troops and TROOPS", "troops", GROUPS)
    assert [p for p, hit in pieces if hit] == ["Troops", "troops", "TROOPS"]


def test_fold_keeps_length() -> None:
    for word in ("Chișinău", "Xankəndi", "Straße", "İstanbul"):
        assert len(fold(word)) == len(word)


def test_expand_includes_all_variants() -> None:
    assert set(expand("Chisinau", GROUPS)) >= {"chisinau", "kishinev"}


@pytest.mark.parametrize("query,needle", [("Kyiv", "Kiev")])  # the excerpts name no Almaty
def test_shipped_excerpts_are_found_by_variant(query: str, needle: str) -> None:
    ds = load(REPO / "data")
    groups = variant_groups(ds)
    found = search(ds.excerpts, query, groups)
    assert len(found) >= 1 and all(needle in t or query in t for t in found["text"])


def test_shipped_variants_include_the_promised_pairs() -> None:
    groups = [set(g) for g in variant_groups(load(REPO / "data"))]
    for pair in ({"Kyiv", "Kiev"}, {"Chișinău", "Kishinev"}, {"Almaty", "Alma-Ata"}):
        assert any(pair <= g for g in groups), pair
