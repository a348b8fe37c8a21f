"""Valid but unusual input builds and renders as written: a byte-order mark, CRLF line ends,
names and titles in any script, emoji, right-to-left text and very long titles."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from trust_kit import fm, q, run_main, write_files

LONG = "Ein sehr langer Titel " * 230  # about 5,000 characters
TITLES = {
    "bom-crlf": "Café opening — 東京 branch",
    "arabic": "خطة المبيعات للربع الثالث",
    "hebrew": "תוכנית שיווק 2024",
    "mixed": "Launch דף הבית with العربية and English",
    "emoji": "Launch 🚀 the shop 👩🏽‍💻🇩🇪",
    "combining": "Cafe\u0301 déjà vu — Ångström",
    "long": LONG.strip(),
    "cjk": "第三季度在线销售增长计划",
    "arabic-long": ("خطة المبيعات للربع الثالث " * 12).strip(),
}
PEOPLE = {"Zoë Ólafsdóttir", "محمد الأحمد", "李小龙", "Ana 👩🏽‍💻"}


def _crlf(text: str) -> bytes:
    return ("\ufeff" + text).replace("\n", "\r\n").encode("utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    files: dict[str, str | bytes] = {
        "planpress.yaml": _crlf("title: Pläne — خطط\ntoday: 2024-08-01\ncurrency: €\n"),
        "content/people.yaml": _crlf(
            "people:\n  zoe: {name: Zoë Ólafsdóttir}\n  mohammed: {name: محمد الأحمد}\n"
        ),
    }
    for name, title in TITLES.items():
        plan = fm(
            f"title: {q(title)}\nid: {name}\nowner: {q('Zoë Ólafsdóttir')}\nstart: 2024-07-01\n"
            f"budget: 100\ntags: [{q('🚀 launch')}, {q('ربع')}]\n"
            "tasks:\n"
            f"  - {{id: a, title: {q(title)}, responsible: [{q('李小龙')}, {q('محمد الأحمد')}], "
            "due: week 2}\n"
            f"  - {{id: b, title: {q('Second ' + title[:40])}, responsible: {q('Ana 👩🏽‍💻')}, "
            "after: [a], duration: 1w}\n"
            f"milestones:\n  - {{id: m, name: {q(title)}, due: 2024-07-20, owner: zoe}}\n",
            f"{title}\n\n- Task 1: {title[:60].strip()} (Responsible: zoe; Deadline: week 3)\n",
        )
        files[f"content/{name}.md"] = _crlf(plan) if name == "bom-crlf" else plan
    files["content/Ünïcödé Földer/δοκιμή.md"] = fm("title: Δοκιμή\nowner: zoe")
    root = write_files(tmp_path_factory.mktemp("unusual") / "site", files)
    result = run_main("build", str(root), "-o", str(root / "out"))
    assert result.returncode == 0, result.stderr
    return root / "out"


@pytest.mark.parametrize("name", sorted(TITLES))
def test_titles_render_exactly_as_written(built, name):
    page = BeautifulSoup((built / f"plans/{name}.html").read_text(encoding="utf-8"), "html.parser")
    assert page.h1.get_text() == TITLES[name]
    assert page.title.get_text().startswith(TITLES[name])
    row = page.find(id="item-a")
    assert row is not None and TITLES[name] in row.get_text()
    svg_text = " ".join(t.get_text() for t in page.select("svg title"))
    assert TITLES[name][:20] in svg_text or TITLES[name] in svg_text


def test_nothing_is_normalised_away(built):
    data = json.loads((built / "plans.json").read_text(encoding="utf-8"))
    titles = {plan["id"]: plan["title"] for plan in data["plans"]}
    for name, title in TITLES.items():
        assert titles[name] == title  # not NFC-, NFKC- or otherwise changed
    assert unicodedata.is_normalized("NFD", "e\u0301") and "Cafe\u0301" in titles["combining"]
    names = {person["name"] for person in data["people"].values()}
    assert names >= PEOPLE


def test_long_titles_are_cut_in_charts_only(built):
    page = (built / "plans/long.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(page, "html.parser")
    labels = [t.get_text() for t in soup.select("svg text") if t.get_text().startswith("Ein")]
    assert labels and all(len(label) < 200 and label.endswith("…") for label in labels)
    assert soup.h1.get_text() == TITLES["long"]


def test_right_to_left_cuts_keep_the_ellipsis_at_the_reading_end(built):
    page = (built / "plans/arabic-long.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(page, "html.parser")
    cut = [t.get_text() for t in soup.select("svg text") if "…" in t.get_text()]
    cut = [text for text in cut if re.search("[\u0600-\u06ff]", text)]
    assert cut and all(text.endswith("…\u200f") for text in cut), cut


def test_emoji_sequences_are_never_split(built):
    soup = BeautifulSoup((built / "plans/emoji.html").read_text(encoding="utf-8"), "html.parser")
    for text in (t.get_text() for t in soup.select("svg text, svg title")):
        assert not text.endswith(("\u200d", "\U0001f3fd")), text  # no dangling joiner or tone
        assert "\ufffd" not in text


def test_file_names_stay_ascii_slugs(built):
    names = [p.relative_to(built).as_posix() for p in built.rglob("*") if p.is_file()]
    assert all(re.fullmatch(r"[a-z0-9._/-]+", name) for name in names), names
    assert any(name.startswith("sections/unicode-folder") for name in names)
    assert "plans/unicode-folder/x-" in " ".join(names)  # a Greek file name: a stable hash


def test_bom_and_crlf_leave_no_trace(built):
    page = (built / "plans/bom-crlf.html").read_text(encoding="utf-8")
    assert "\ufeff" not in page and "\r" not in page
    assert "Pläne — خطط" in page and "100 €" in page
