"""Sites override theme templates and assets from their own folder."""

from __future__ import annotations

import subprocess
import sys

import pytest

from planpress.diagnostics import PlanpressError
from planpress.pipeline import build

PLAN = "---\ntitle: Alpha <b>\nkind: okr\n---\n"


def test_site_templates_assets_and_kinds_override_the_theme(site):
    root = site(
        {
            "content/a.md": PLAN,
            "content/b.md": "---\ntitle: Beta\n---\n",
            "templates/kinds/okr.html": (
                '{% extends "plan.html" %}{% block layout %}<p id="okr">OKR of {{ plan.title }}</p>'
                "{% endblock %}"
            ),
            "templates/partials/plans.html": (
                "{% macro plan_table(plans, caption) %}<ul id='mine'>{% for p in plans %}"
                "<li>{{ p.plan.title }}</li>{% endfor %}</ul>{% endmacro %}"
                "{% macro health(h) %}{% endmacro %}"
            ),
            "static/planpress.css": "body { color: red }\n",
            "static/logo.txt": "logo\n",
        }
    )
    build(root, root / "out")
    okr = (root / "out/plans/a.html").read_text()
    assert '<p id="okr">OKR of Alpha &lt;b&gt;</p>' in okr  # autoescaped in overrides too
    assert "<ul id='mine'>" in (root / "out/index.html").read_text()
    assert (root / "out/static/planpress.css").read_text() == "body { color: red }\n"
    assert (root / "out/static/logo.txt").read_text() == "logo\n"
    assert "Beta" in (root / "out/plans/b.html").read_text()  # theme's plan.html still used


def test_unknown_kind_without_template_is_an_error(site):
    root = site({"content/a.md": PLAN})
    with pytest.raises(PlanpressError):
        build(root, root / "out")


def test_broken_override_is_reported_without_traceback(site):
    root = site(
        {
            "content/a.md": "---\ntitle: A\n---\n",
            "templates/plan.html": (
                "{% extends 'base.html' %}{% block content %}{{ nope.x }}{% endblock %}"
            ),
        }
    )
    result = subprocess.run(
        [sys.executable, "-m", "planpress", "build", str(root)], capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "template error while rendering plan.html" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (root / "site").exists()
