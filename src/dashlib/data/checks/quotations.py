"""Quotation, not republication: each excerpt verbatim in an article whose text the project
holds (``articles/<text_file>``), at most :data:`MAX_EXCERPT_WORDS` words, and all excerpts of
one article together at most :data:`MAX_ARTICLE_SHARE` of its words.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pandas as pd

from dashlib.data.checks.cells import cells
from dashlib.data.csvio import RawTable
from dashlib.data.problems import Problem

MAX_EXCERPT_WORDS = 60
MAX_ARTICLE_SHARE = 0.25
ARTICLES_DIR = "articles"


def words(text: str) -> int:
    """Words as a reader counts them: runs of non-space characters.

    >>> words("Russian peacekeepers  arrived in\\nNovember.")
    5
    """
    return len(text.split())


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
        for index, name in cells(articles, "text_file"):
            if not (data_dir / ARTICLES_DIR / name).is_file():
                problems.append(
                    articles.problem(
                    index, "text_file", f"no file {ARTICLES_DIR}/{name}",
                        "store the article's text with `python -m dashlib add-article`",
                    )
                )  # fmt: skip
    excerpts = raws.get("excerpts")
    if excerpts is None:
        return problems
    quoted: dict[str, int] = defaultdict(int)
    last_row: dict[str, int] = {}
    article_of = excerpts.frame.get("article_id", pd.Series(dtype=object))
    for index, text in cells(excerpts, "text"):
        article_id = article_of.get(index)
        count = words(text)
        if count > MAX_EXCERPT_WORDS:
            problems.append(
                excerpts.problem(
                    index, "text",
                    f"the excerpt has {count} words; at most {MAX_EXCERPT_WORDS}",
                    "quote the sentence that carries the fact; put the rest in your own words",
                )
            )  # fmt: skip
        if not isinstance(article_id, str) or article_id not in texts:
            continue  # an unknown article is the foreign-key rule's problem
        body = texts[article_id]
        if body is None:
            problems.append(
                excerpts.problem(
                    index, "article_id",
                    f"the project holds no text of article {article_id}",
                    "quote only articles whose text is stored in data/articles/ "
                    "(python -m dashlib add-article); else write the fact in your own words",
                )
            )  # fmt: skip
            continue
        if text not in body:
            problems.append(
                excerpts.problem(
                    index, "text", f"the text is not verbatim in article {article_id}",
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
                excerpts.problem(
                    last_row[article_id], "text",
                    f"the excerpts of {article_id} quote {count} of its {total} words "
                    f"({count / total:.0%}); at most {MAX_ARTICLE_SHARE:.0%}",
                    "quotation, not republication: keep the passages that carry the facts "
                    "the views show",
                )
            )  # fmt: skip
    return problems
