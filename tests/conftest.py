"""Shared fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest
from sitekit import write_site


@pytest.fixture
def site(tmp_path: Path):
    """A function writing {path: text} into a fresh site folder and returning the folder."""

    def make(files: dict[str, str]) -> Path:
        return write_site(tmp_path / "site", files)

    return make
