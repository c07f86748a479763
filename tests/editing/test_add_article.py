"""python -m dashlib add-article: one step to store an article to quote from."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from dashlib.data.dataset import check, load
from dashlib.editing.add_article import NewArticle, Refused, add_article

from conftest import REPO

TEXT = """Border guards left the airport.

The agreement, signed in Yerevan, ends a presence that began in 1992.
It was announced on Monday.
"""


def run(data_dir: Path, text_file: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dashlib", "add-article", str(text_file), "--data", str(data_dir),
         "--title", "Border guards leave", "--publisher", "Example Wire",
         "--url", "https://news.example/guards", "--date", "2024-03-04", *extra],
        capture_output=True, text=True, cwd=REPO, timeout=120,
    )  # fmt: skip


@pytest.fixture
def text_file(tmp_path: Path) -> Path:
    path = tmp_path / "guards.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


def test_adds_the_text_and_row_and_prints_numbered_paragraphs(
    data_dir: Path, text_file: Path
) -> None:
    done = run(data_dir, text_file)
    assert done.returncode == 0, done.stdout + done.stderr
    article_id = "example-wire-2024-03-04-border-guards-leave"
    assert f"Added {article_id}" in done.stdout
    assert "  1  Border guards left the airport." in done.stdout
    assert "  2  The agreement, signed in Yerevan, ends a presence that began in 1992. It was" in (
        done.stdout
    )
    assert (data_dir / "articles" / f"{article_id}.txt").read_text(encoding="utf-8") == TEXT
    ds = load(data_dir)
    row = ds.articles.set_index("article_id").loc[article_id]
    assert row["outlet"] == "Example Wire" and row["published_precision"] == "day"
    assert "articles.csv" in (data_dir / "CHANGELOG.csv").read_text(encoding="utf-8")
    # The article can now be quoted, verbatim only.
    with open(data_dir / "excerpts.csv", "a", encoding="utf-8") as f:
        f.write(f"ex-new,{article_id},2,The agreement ends a presence,,,,UKR,,false\n")
    assert [p.message for p in check(data_dir)] == [
        f"the text is not verbatim in article {article_id}"
    ]


@pytest.mark.parametrize(
    ("extra", "why"),
    [
        ((), "has this URL already"),
        (("--url", "https://news.example/other"), "has this text already"),
    ],
)
def test_a_second_copy_is_refused(
    data_dir: Path, text_file: Path, extra: tuple[str, ...], why: str
) -> None:
    assert run(data_dir, text_file).returncode == 0
    before = sorted(p.name for p in (data_dir / "articles").iterdir())
    again = run(data_dir, text_file, *extra, "--id", "another-id")
    assert again.returncode == 1
    assert why in again.stderr
    assert sorted(p.name for p in (data_dir / "articles").iterdir()) == before


def test_the_same_id_is_refused(data_dir: Path) -> None:
    meta = NewArticle("T", "P", "https://news.example/x", "2024", article_id="art-one")
    with pytest.raises(Refused, match="id art-one exists already"):
        add_article(data_dir, "Some other text.", meta, editor="test")


def test_invalid_metadata_saves_nothing(data_dir: Path) -> None:
    before = (data_dir / "articles.csv").read_bytes()
    meta = NewArticle("T", "P", "https://news.example/x", "2024", source_ids="no-such-source")
    with pytest.raises(Refused) as err:
        add_article(data_dir, "Some other text.", meta, editor="test")
    assert any("no-such-source" in p.message for p in err.value.problems)
    assert (data_dir / "articles.csv").read_bytes() == before
    assert sorted(p.name for p in (data_dir / "articles").iterdir()) == ["art-one.txt"]


def test_a_date_must_be_iso(data_dir: Path, text_file: Path) -> None:
    done = run(data_dir, text_file, "--date", "04/03/2024")
    assert done.returncode == 1 and "is not YYYY-MM-DD" in done.stderr
