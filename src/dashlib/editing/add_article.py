"""``python -m dashlib add-article TEXT_FILE --title … --publisher … --url … --date …``

Adds an article the project may quote from, in one step: stores its full text in
``data/articles/`` (checked against, never published), appends its row to ``articles.csv``
through the same validated, logged save as the editor, and prints the text's numbered
paragraphs so a journalist can cite ``paragraph`` in ``excerpts.csv``. A second copy of an
article — the same URL, the same id or the same text — is refused.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from dashlib import paths
from dashlib.data import dates
from dashlib.data.checks.quotations import ARTICLES_DIR
from dashlib.data.checks.sources import normal_url
from dashlib.data.problems import Problem
from dashlib.editing.save import read_table, save_table

TABLE = "articles"
_BLANK_LINES = re.compile(r"\n\s*\n")


@dataclass(frozen=True)
class NewArticle:
    """What a journalist says about the article (the CLI's options)."""

    title: str
    publisher: str
    url: str
    date: str
    article_id: str = ""
    authors: str = ""
    original_title: str = ""
    original_outlet: str = ""
    original_url: str = ""
    machine_translation: bool = False
    note: str = ""
    source_ids: str = ""


class Refused(Exception):
    """The article is already in the dataset, or its metadata does not validate."""

    def __init__(self, message: str, problems: list[Problem] | None = None):
        super().__init__(message)
        self.problems = problems or []


def paragraphs(text: str) -> list[str]:
    """Blocks of text separated by blank lines, each on one line.

    >>> paragraphs("One\\nline.\\n\\n\\nTwo.\\n")
    ['One line.', 'Two.']
    """
    blocks = _BLANK_LINES.split(text.replace("\r\n", "\n").strip())
    return [" ".join(block.split()) for block in blocks if block.strip()]


def slug(*parts: str, limit: int = 60) -> str:
    """A stable id from words: lower case ASCII, hyphens.

    >>> slug("RFE/RL", "2024-02-23", "Armenia freezes CSTO role")
    'rfe-rl-2024-02-23-armenia-freezes-csto-role'
    """
    text = unicodedata.normalize("NFKD", " ".join(parts)).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+(?:-[0-9]+)*", text.lower())
    out = ""
    for word in words:
        if len(out) + len(word) + 1 > limit:
            break
        out = f"{out}-{word}" if out else word
    return out


def add_article(
    data_dir: Path, text: str, meta: NewArticle, *, editor: str, now: dt.datetime | None = None
) -> tuple[str, list[str]]:
    """Store ``text`` and its row; return (article_id, numbered paragraphs). Raises Refused."""
    text = text.replace("\r\n", "\n").strip() + "\n"
    if dates.precision_of(meta.date) is None:
        raise Refused(f"--date {meta.date!r} is not YYYY-MM-DD, YYYY-MM or YYYY")
    article_id = meta.article_id or slug(meta.publisher, meta.date, meta.title)
    table, digest = read_table(data_dir, TABLE)
    _refuse_duplicates(data_dir, table, article_id, meta.url, text)
    text_file = f"{article_id}.txt"
    row = {
        "article_id": article_id,
        "title": meta.title,
        "outlet": meta.publisher,
        "original_title": meta.original_title,
        "original_outlet": meta.original_outlet,
        "authors": meta.authors,
        "published": meta.date,
        "published_precision": dates.precision_of(meta.date) or "",
        "url": meta.url,
        "original_url": meta.original_url,
        "machine_translation": "true" if meta.machine_translation else "false",
        "note": meta.note,
        "source_ids": meta.source_ids,
        "text_file": text_file,
    }
    edited = pd.concat([table, pd.DataFrame([row])[table.columns]], ignore_index=True)
    target = data_dir / ARTICLES_DIR / text_file
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    try:
        result = save_table(
            data_dir, TABLE, edited, editor=editor, expected_digest=digest, loaded=table, now=now
        )
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    if not result.saved:
        target.unlink(missing_ok=True)
        raise Refused("the new row does not validate; nothing was saved", result.problems)
    return article_id, paragraphs(text)


def _refuse_duplicates(
    data_dir: Path, table: pd.DataFrame, article_id: str, url: str, text: str
) -> None:
    if article_id in set(table["article_id"]):
        raise Refused(f"an article with id {article_id} exists already (give another --id)")
    for column in ("url", "original_url"):
        for other_id, other in zip(table["article_id"], table[column], strict=True):
            if other and normal_url(other) == normal_url(url):
                raise Refused(f"article {other_id} has this URL already")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    for other_id, name in zip(table["article_id"], table["text_file"], strict=True):
        path = data_dir / ARTICLES_DIR / name
        if path.is_file():
            held = path.read_text(encoding="utf-8").replace("\r\n", "\n").strip() + "\n"
            if hashlib.sha256(held.encode("utf-8")).hexdigest() == digest:
                raise Refused(f"article {other_id} has this text already ({ARTICLES_DIR}/{name})")


def build_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cmd = sub.add_parser(
        "add-article",
        help="store an article's text and metadata to quote from; prints its paragraphs",
    )
    cmd.add_argument("text_file", help="the article's full text, UTF-8 (paragraphs: blank lines)")
    cmd.add_argument("--title", required=True, help="the title as published")
    cmd.add_argument("--publisher", required=True, help="the outlet that published this text")
    cmd.add_argument("--url", required=True, help="where the text was read")
    cmd.add_argument("--date", required=True, help="publication date: YYYY-MM-DD, YYYY-MM or YYYY")
    cmd.add_argument(
        "--id", dest="article_id", default="", help="default: from publisher/date/title"
    )
    cmd.add_argument("--authors", default="", help="semicolon-separated")
    cmd.add_argument("--original-title", default="")
    cmd.add_argument("--original-outlet", default="")
    cmd.add_argument("--original-url", default="")
    cmd.add_argument(
        "--machine-translation", action="store_true", help="the text is a machine translation"
    )
    cmd.add_argument("--note", default="", help="provenance note shown with every excerpt")
    cmd.add_argument("--source-ids", default="", help="sources.csv ids, semicolon-separated")
    cmd.add_argument("--editor", default="add-article", help="name for the change log")
    cmd.add_argument("--data", default=None, help="data folder (default: as for validate)")
    cmd.set_defaults(func=cli)


def cli(args: argparse.Namespace) -> int:
    """0 added, 1 refused (duplicate or invalid), 2 wrong usage."""
    source = Path(args.text_file)
    if not source.is_file():
        print(f"add-article: {source}: no such file", file=sys.stderr)
        return 2
    try:
        data_dir = paths.data_dir(args.data)
        text = source.read_text(encoding="utf-8-sig")
    except paths.ProjectNotFound as err:
        print(f"add-article: {err}", file=sys.stderr)
        return 2
    except UnicodeDecodeError:
        print(f"add-article: {source} is not UTF-8 — save it as UTF-8 text", file=sys.stderr)
        return 2
    fields = {k: getattr(args, k) for k in NewArticle.__dataclass_fields__}
    try:
        article_id, numbered = add_article(data_dir, text, NewArticle(**fields), editor=args.editor)
    except Refused as err:
        for problem in err.problems:
            print(problem)
        print(f"add-article: refused: {err}", file=sys.stderr)
        return 1
    print(f"Added {article_id} ({ARTICLES_DIR}/{article_id}.txt). Paragraphs to cite:")
    for number, paragraph in enumerate(numbered, start=1):
        print(f"{number:>3}  {paragraph}")
    return 0
