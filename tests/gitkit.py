"""Helpers for tests with a real git repository: commits with fixed names and dates."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from sitekit import write_site


def git(root: Path, *args: str, author: str = "Maria Lopez", date: str = "") -> str:
    """Run git in root, isolated from the machine's configuration; returns standard output."""
    env = dict(os.environ)
    env.update(
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_AUTHOR_NAME=author,
        GIT_AUTHOR_EMAIL=f"{author.split()[0].lower()}@example.com",
        GIT_COMMITTER_NAME=author,
        GIT_COMMITTER_EMAIL=f"{author.split()[0].lower()}@example.com",
    )
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    done = subprocess.run(
        ["git", "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false", "-C", str(root), *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def commit(root: Path, message: str, date: str, author: str = "Maria Lopez") -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message, author=author, date=date)


LAUNCH = """
---
title: Launch the shop
id: launch
owner: ann
start: 2024-07-01
tasks:
  - {id: build, title: Build the shop, responsible: ann, due: 2024-07-14}
  - {id: test, title: Test the shop, responsible: bob, due: 2024-07-20}
milestones:
  - {id: live, name: Shop live, due: 2024-07-31, owner: ann}
---
"""


def plans_repo(root: Path, top: Path | None = None) -> Path:
    """A site in a git repository with four commits (tag v1 on the first):

    1. 2024-07-01 Maria Lopez "Plans for July": launch.md, old.md
    2. 2024-07-03 Maria Lopez "Move the build by a week": build due 14 Jul -> 21 Jul
    3. 2024-07-05 Tom Becker "Rename the plan file": content/launch.md -> content/shop.md
    4. 2024-07-08 Maria Lopez "Add the press release; the shop is live": a milestone added,
       `live` done, `test` done and reassigned to Ann, old.md removed, sale.md added

    `top` is the repository's top folder when the site is a subfolder of it.
    """
    write_site(
        root,
        {
            "planpress.yaml": "title: Git test\ntoday: 2024-07-10\n",
            "content/people.yaml": "people:\n  ann: {name: Ann Lee}\n  bob: {name: Bob Marsh}\n",
            "content/launch.md": LAUNCH,
            "content/old.md": """
            ---
            title: Old plan
            tasks:
              - {id: a, title: Something, responsible: ann, due: 2024-07-05}
            ---
            """,
        },
    )
    (top or root).mkdir(parents=True, exist_ok=True)
    git(top or root, "init", "-q")
    commit(root, "Plans for July", "2024-07-01T10:00:00+02:00")
    git(root, "tag", "v1")
    plan = root / "content/launch.md"
    plan.write_text(plan.read_text().replace("due: 2024-07-14}", "due: 2024-07-21}"))
    commit(root, "Move the build by a week", "2024-07-03T10:00:00+02:00")
    git(root, "mv", "content/launch.md", "content/shop.md")
    commit(root, "Rename the plan file", "2024-07-05T10:00:00+02:00", author="Tom Becker")
    plan = root / "content/shop.md"
    text = plan.read_text()
    text = text.replace(
        "responsible: bob, due: 2024-07-20}", "responsible: ann, due: 2024-07-20, status: done}"
    )
    text = text.replace(
        "due: 2024-07-31, owner: ann}",
        "due: 2024-07-31, owner: ann, done: 2024-07-08}\n"
        "  - {id: press, name: Press release, due: 2024-08-05, owner: bob}",
    )
    plan.write_text(text)
    (root / "content/old.md").unlink()
    (root / "content/sale.md").write_text(
        "---\ntitle: Summer sale\nid: sale\nowner: bob\n"
        "tasks:\n  - {id: flyer, title: Print the flyer, responsible: bob, due: 2024-07-25}\n---\n"
    )
    commit(root, "Add the press release; the shop is live", "2024-07-08T10:00:00+02:00")
    return root
