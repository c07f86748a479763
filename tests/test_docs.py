"""Documentation that cannot drift: every field of the schema is documented in data/README."""

from __future__ import annotations

import importlib.util
import json

from conftest import REPO


def _generator():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "document_schema", REPO / "scripts" / "document_schema.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_data_readme_matches_the_schema() -> None:
    gen = _generator()
    package = json.loads((REPO / "data" / "datapackage.json").read_text(encoding="utf-8"))
    readme = (REPO / "data" / "README.md").read_text(encoding="utf-8")
    assert gen.updated(readme, package) == readme, "run python scripts/document_schema.py"


def test_every_field_has_a_description() -> None:
    package = json.loads((REPO / "data" / "datapackage.json").read_text(encoding="utf-8"))
    for res in package["resources"]:
        for field in res["schema"]["fields"]:
            assert field.get("description"), f"{res['name']}.{field['name']} has no description"


def test_readme_has_the_two_commands() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "make run" in readme and "make test" in readme
    assert "make test" in (REPO / ".ci" / "run").read_text(encoding="utf-8")


def test_architecture_names_only_modules_that_exist() -> None:
    import re

    text = (REPO / "ARCHITECTURE.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`([\w/]+\.(?:py|html|md)|[\w/]+/)`", text))
    named = {n for n in named if not re.search(r"(^|/)(test_)?x[./]", n)}  # placeholders
    assert len(named) > 15
    roots = (REPO / "src" / "dashlib", REPO / "src", REPO)
    missing = [n for n in sorted(named) if not any((root / n).exists() for root in roots)]
    assert missing == [], f"ARCHITECTURE.md names what does not exist: {missing}"
