"""The built wheel carries the default theme, so planpress works outside this repository."""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

from sitekit import REPO, write_site


def test_wheel_contains_theme_and_builds_a_site_outside_the_repo(tmp_path: Path):
    dist = tmp_path / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(dist),
            str(REPO),
        ],
        check=True,
        capture_output=True,
    )
    [wheel] = dist.glob("planpress-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "planpress/themes/default/templates/plan.html" in names
    assert "planpress/themes/default/static/planpress.css" in names
    assert "planpress/themes/default/static/search.js" in names
    assert "planpress/schema/plans.schema.json" in names
    assert "planpress/schema/plan.schema.json" in names

    env_dir = tmp_path / "venv"
    venv.create(env_dir, system_site_packages=True, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
    )
    site = write_site(tmp_path / "mysite", {"content/a.md": "---\ntitle: Alone\n---\nHello.\n"})
    result = subprocess.run(
        [
            str(python),
            "-c",
            "import planpress, sys; print(planpress.__file__); "
            "from planpress.cli import main; sys.exit(main(['build', '.']))",
        ],
        cwd=site,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert str(env_dir) in result.stdout, "the wheel, not the checkout, must be imported"
    assert (site / "site/static/planpress.css").is_file()
