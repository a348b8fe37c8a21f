"""The build cache in the site folder never runs code someone else put there.

`.planpress-cache/` holds pickles, and unpickling runs code. The site folder is often a shared
git work tree, so a cache file planted there (committed, say) must be a cache miss: each file
carries a MAC keyed by a secret outside the site folder.
"""

from __future__ import annotations

import hashlib
import pickle
import shutil
from pathlib import Path

import pytest
from trust_kit import CORPUS, run_cli

from planpress import __version__


class _Payload:
    def __init__(self, canary: Path) -> None:
        self.canary = canary

    def __reduce__(self):
        return (Path.write_text, (self.canary, "the cache ran planted code"))


def _plant(site: Path, output: Path, canary: Path, mac: bytes | None) -> list[Path]:
    header = f"planpress-cache 1 {__version__}\n".encode()
    body = pickle.dumps(_Payload(canary))
    data = header + (mac + b"\n" if mac is not None else b"") + body
    document = hashlib.sha256(b"content/good.md").hexdigest()
    state = hashlib.sha256(str(output.resolve()).encode()).hexdigest()[:24]
    files = [
        site / ".planpress-cache/documents" / document[:2] / f"{document[2:]}.pickle",
        site / f".planpress-cache/output-{state}.pickle",
    ]
    for file in files:
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_bytes(data)
    return files


@pytest.mark.parametrize("mac", [None, b"0" * 64, b""], ids=["old-format", "forged-mac", "empty"])
def test_a_planted_cache_file_is_never_unpickled(tmp_path, mac):
    site, canary = tmp_path / "site", tmp_path / "canary.txt"
    shutil.copytree(CORPUS / "_base", site)
    planted = _plant(site, site / "out", canary, mac)
    env = {"XDG_CACHE_HOME": str(tmp_path / "user-cache")}
    result = run_cli("build", str(site), "-o", str(site / "out"), env=env)
    assert result.returncode == 0, result.stderr
    assert not canary.exists()
    assert (site / "out/plans/good.html").is_file()
    key = tmp_path / "user-cache/planpress/cache-key"
    assert key.is_file() and key.stat().st_mode & 0o077 == 0  # the owner's alone
    assert planted[0].read_bytes() != b""  # rewritten by this build, now sealed


def test_a_sealed_cache_is_reused(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(CORPUS / "_base", site)
    env = {"XDG_CACHE_HOME": str(tmp_path / "user-cache")}
    first = run_cli("build", str(site), "-o", str(site / "out"), env=env)
    again = run_cli("build", str(site), "-o", str(site / "out"), env=env)
    assert first.returncode == again.returncode == 0
    assert "0 written" in again.stderr, again.stderr
