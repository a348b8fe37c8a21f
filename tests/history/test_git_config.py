"""planpress.yaml's `history` and `baseline` keys."""

from __future__ import annotations

from pathlib import Path

from sitekit import messages

from planpress.config import load_config
from planpress.diagnostics import Diagnostics


def config_of(root: Path, text: str):
    root.mkdir(parents=True, exist_ok=True)
    (root / "planpress.yaml").write_text(text)
    diagnostics = Diagnostics()
    return load_config(root, diagnostics), [d.format() for d in diagnostics.items]


def test_defaults(tmp_path):
    config, problems = config_of(tmp_path, "title: X\n")
    assert (config.history, config.baseline, problems) == (True, "", [])


def test_history_and_baseline(tmp_path):
    config, problems = config_of(tmp_path, "history: false\nbaseline: ' v1.0 '\n")
    assert (config.history, config.baseline, problems) == (False, "v1.0", [])


def test_wrong_values_name_their_line(site):
    root = site(
        {
            "planpress.yaml": "history: no\nbaseline: [main]\n",
            "content/a.md": "---\ntitle: A\n---\n",
        }
    )
    assert messages(root) == [
        "planpress.yaml:1:10: error: history: expected true or false, got 'no'",
        "planpress.yaml:2:11: error: baseline: expected text, got a list",
    ]
