"""Stage 1: read the content folder into source documents (the only stage that reads it)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from planpress.diagnostics import Diagnostics
from planpress.load.files import (
    PEOPLE_FILE,
    SourceDoc,
    discover_plan_files,
    read_people,
    read_plan,
)
from planpress.load.yamltree import YamlTree


@dataclass(frozen=True, slots=True)
class Sources:
    documents: tuple[SourceDoc, ...]
    people: YamlTree
    people_path: str


def load_sources(site_dir: Path, content_dir: Path, diagnostics: Diagnostics) -> Sources:
    """Every plan document under content_dir, and the people file, in path order."""
    documents = tuple(
        read_plan(path, site_dir, content_dir, diagnostics)
        for path in discover_plan_files(content_dir, diagnostics, site_dir)
    )
    people = read_people(content_dir, site_dir, diagnostics)
    people_path = (
        (content_dir / PEOPLE_FILE).relative_to(site_dir).as_posix()
        if content_dir.is_relative_to(site_dir)
        else str(content_dir / PEOPLE_FILE)
    )
    return Sources(documents, people, people_path)
