"""dashlib.data.checks (sources, quotations, consistency): the newsroom's editorial rules.

Each case plants one problem in a copy of tests/fixtures/valid and expects exactly the
FILE:LINE:COLUMN the validator reports (LINE as a spreadsheet shows it, header = 1).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from dashlib.data.checks import quotations, sources
from dashlib.data.problems import Problem

from conftest import edit

Check = Callable[[Path], list[Problem]]


def located(problems: list[Problem]) -> set[tuple[str, int, str]]:
    return {(p.file, p.line, p.field) for p in problems}


def test_the_fixture_is_clean(data_dir: Path, problems_in: Check) -> None:
    assert problems_in(data_dir) == []


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://mirror.example/wiki/Crimea", "host mirror.example is refused"),
        ("https://bafy.ipfs.mirror.example/x", "host bafy.ipfs.mirror.example is refused"),
        ("https://www.mirror.example/x", "host mirror.example is refused"),
    ],
)
def test_a_refused_host_and_its_subdomains(
    data_dir: Path, problems_in: Check, url: str, expected: str
) -> None:
    edit(data_dir / "sources.csv", "https://example.org/b", url)
    problems = problems_in(data_dir)
    assert located(problems) == {("sources.csv", 3, "url")}
    assert expected in problems[0].message
    assert "a copy of Wikipedia (test)" in problems[0].message
    assert "original publisher" in problems[0].hint


def test_a_journalist_can_extend_the_refused_list(data_dir: Path, problems_in: Check) -> None:
    with open(data_dir / "refused_hosts.csv", "a", encoding="utf-8") as f:
        f.write("example.org,test: refuse the fixture's own host\n")
    assert located(problems_in(data_dir)) == {("sources.csv", 2, "url"), ("sources.csv", 3, "url")}


@pytest.mark.parametrize(
    "spelling",
    ["https://example.org/a", "http://www.example.org/a/", "https://example.org/a/amp"],
)
def test_one_record_per_url(data_dir: Path, problems_in: Check, spelling: str) -> None:
    edit(data_dir / "sources.csv", "https://example.org/b", spelling)
    problems = problems_in(data_dir)
    assert located(problems) == {("sources.csv", 3, "url")}
    assert "same URL as source src-a (line 2)" in problems[0].message


def test_a_row_resting_on_wikipedia_alone(data_dir: Path, problems_in: Check) -> None:
    edit(data_dir / "sources.csv", "https://example.org/b", "https://en.wikipedia.org/wiki/X")
    problems = problems_in(data_dir)
    # Every row citing only src-b is reported; rows citing src-a beside it are not.
    assert ("interventions.csv", 4, "source_ids") in located(problems)  # int-three: src-b
    assert ("interventions.csv", 3, "source_ids") not in located(problems)  # src-a;src-b
    assert all("Wikipedia" in p.message for p in problems)


def test_an_excerpt_must_be_verbatim(data_dir: Path, problems_in: Check) -> None:
    edit(data_dir / "excerpts.csv", "the text says.", "the text said.")
    problems = problems_in(data_dir)
    assert located(problems) == {("excerpts.csv", 2, "text")}
    assert "not verbatim in article art-one" in problems[0].message


def test_an_excerpt_of_more_than_60_words(data_dir: Path, problems_in: Check) -> None:
    long = " ".join(f"w{i}" for i in range(61))
    article = data_dir / "articles" / "art-one.txt"
    article.write_text(article.read_text(encoding="utf-8") + "\n" + long + "\n" + "x " * 900)
    edit(data_dir / "excerpts.csv", "Nothing in particular about Kishinev.", long)
    problems = problems_in(data_dir)
    assert located(problems) == {("excerpts.csv", 4, "text")}
    assert "61 words; at most 60" in problems[0].message


def test_all_excerpts_of_an_article_at_most_a_quarter_of_it(
    data_dir: Path, problems_in: Check
) -> None:
    article = data_dir / "articles" / "art-one.txt"
    quoted = (
        "Troops were sent to Kazakhstan, the text says.\n\n“It can happen in Kiev too,” said a "
        "professor.\n\nNothing in particular about Kishinev.\n"
    )
    article.write_text(quoted + "A few more words here.\n", encoding="utf-8")
    problems = problems_in(data_dir)
    assert len(problems) == 1 and problems[0].file == "excerpts.csv"
    assert "at most 25%" in problems[0].message


def test_quote_only_articles_whose_text_is_held(data_dir: Path, problems_in: Check) -> None:
    (data_dir / "articles" / "art-one.txt").unlink()
    problems = problems_in(data_dir)
    assert ("articles.csv", 2, "text_file") in located(problems)
    assert {("excerpts.csv", n, "article_id") for n in (2, 3, 4)} <= located(problems)


def test_a_site_inside_its_interventions_period(data_dir: Path, problems_in: Check) -> None:
    # site-three (line 4) belongs to int-three, 6-19 Jan 2022.
    edit(
        data_dir / "deployments.csv",
        "int-three,2022-01-06,day,2022-01-19",
        "int-three,2021-12-30,day,2022-02-01",
    )
    problems = problems_in(data_dir)
    assert located(problems) == {
        ("deployments.csv", 4, "start_date"),
        ("deployments.csv", 4, "end_date"),
    }


def test_a_partial_date_is_a_period_not_its_first_day(data_dir: Path, problems_in: Check) -> None:
    # "2022-01" overlaps 6-19 Jan 2022: not a problem.
    edit(data_dir / "deployments.csv", "int-three,2022-01-06,day", "int-three,2022-01,month")
    assert problems_in(data_dir) == []


def test_one_id_one_troop_figure(data_dir: Path, problems_in: Check) -> None:
    edit(data_dir / "deployments.csv", "site-three,", "int-three,")
    assert problems_in(data_dir) == []  # the same figure in both rows
    edit(data_dir / "deployments.csv", "2022-01-19,day,2000,2500", "2022-01-19,day,,")
    edit(data_dir / "deployments.csv", ",2022-01-07,,Tempo", ",,,Tempo")
    problems = problems_in(data_dir)
    assert located(problems) == {("deployments.csv", 4, "troops_high")}
    assert "2000–2500 troops as of 2022-01-07" in problems[0].message
    assert "no troop figure" in problems[0].message


def test_an_event_marking_a_start_agrees_with_the_intervention(
    data_dir: Path, problems_in: Check
) -> None:
    edit(data_dir / "events.csv", "Something happened.,src-a,", "Something happened.,src-a,start")
    assert problems_in(data_dir) == []  # ev-one: 2014-02-27 = int-one's start
    edit(data_dir / "events.csv", "ev-one,2014-02-27", "ev-one,2014-03-02")
    problems = problems_in(data_dir)
    assert located(problems) == {("events.csv", 2, "date")}
    assert "marks the start of int-one, dated 2014-02-27" in problems[0].message


def test_normal_url_and_words() -> None:
    assert sources.normal_url("HTTP://WWW.A.org/x/") == sources.normal_url("https://a.org/x")
    assert quotations.words("  one\ttwo\nthree ") == 3


def test_the_public_download_carries_excerpts_not_article_texts(data_dir: Path) -> None:
    from dashlib.data.dataset import content_hash, data_files, public_files

    public = {p.relative_to(data_dir).as_posix() for p in public_files(data_dir)}
    assert "excerpts.csv" in public and "articles.csv" in public
    assert not any(name.startswith("articles/") for name in public)
    # The texts still decide the data version: an edited article is a new version.
    assert data_dir / "articles" / "art-one.txt" in data_files(data_dir)
    before = content_hash(data_dir)
    with open(data_dir / "articles" / "art-one.txt", "a", encoding="utf-8") as f:
        f.write("One more line.\n")
    assert content_hash(data_dir) != before


def test_source_lines_name_publishers_most_cited_first(data_dir: Path) -> None:
    from dashlib.data.dataset import load
    from dashlib.figures.common import source_line, source_names

    edit(data_dir / "sources.csv", "Test source B,Example Publisher", "Test source B,TASS")
    edit(data_dir / "sources.csv", "fixture,newspaper", "fixture,state_media_party", count=2)
    ds = load(data_dir)
    # src-b (TASS, state media) cited by two rows, src-a (Example Publisher) by one.
    assert source_names(ds, ["src-b", "src-a;src-b", "src-b"]) == (
        "TASS (state media), Example Publisher (state media)"
    )
    assert source_line(ds, ["src-a"]).startswith("Source: Example Publisher (state media).")
    assert source_line(ds, ["src-a", "src-b"]).startswith("Sources: ")
    assert source_line(ds, []).startswith("Sources: see the About page.")


def test_long_source_lines_say_how_many_more(data_dir: Path) -> None:
    from dashlib.data.dataset import load
    from dashlib.figures.common import source_names

    rows = [
        f"src-{i},Title {i},Publisher {i},https://example.org/p{i},,2026-11-01,,agency\n"
        for i in range(6)
    ]
    with open(data_dir / "sources.csv", "a", encoding="utf-8") as f:
        f.writelines(rows)
    ds = load(data_dir)
    cells = ["src-5;src-4", "src-5;src-3", "src-5", "src-4", "src-0;src-1;src-2"]
    assert (
        source_names(ds, cells) == "Publisher 5, Publisher 4, Publisher 0 and 3 more"
    )  # ties: by name


def test_original_publishers_come_before_encyclopedias(data_dir: Path) -> None:
    from dashlib.data.dataset import load
    from dashlib.figures.common import source_names

    edit(data_dir / "sources.csv", "Test source B,Example Publisher", "Test source B,Wikipedia")
    edit(data_dir / "sources.csv", "fixture,newspaper", "fixture,encyclopedia", count=2)
    edit(data_dir / "sources.csv", "fixture,encyclopedia", "fixture,newspaper")  # src-a
    ds = load(data_dir)
    # Wikipedia (src-b) cited by more rows, still named after the newspaper.
    assert source_names(ds, ["src-b", "src-b", "src-a;src-b"]) == "Example Publisher, Wikipedia"
