"""The digest of everything a build reads, so that a build of unchanged inputs stops early.

A build's output is a function of: planpress and the libraries that draw it, planpress.yaml,
the build options, `today`, every plan file and people.yaml (paths and bytes, and what
looking for them reported), the theme's templates and assets (the site's own and the
theme's), what git shows of the site (see history.git_state), and the output folder as the
last build left it. When all of these are as they were for the last build into the same
output folder, that build's files are this build's files: nothing is parsed, resolved or
drawn (see pipeline and cache.BuildRecord).
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import metadata
from pathlib import Path

from planpress.config import CONFIG_FILE, SiteConfig
from planpress.incremental.digests import code_digest, digest, tree_digest
from planpress.render.theme import Theme

# the libraries whose versions change what a page looks like
_DRAWING_LIBRARIES = ("jinja2", "markdown-it-py", "mdit-py-plugins", "markupsafe", "pyyaml")


def inputs_digest(
    config: SiteConfig,
    theme: Theme,
    options: object,
    today: object,
    plan_files: str,
    git: str,
    output: Path,
) -> str:
    """`plan_files` is documents.PlanFiles.digest(), `git` history.git_state()."""
    assets = [folder / part for folder in theme.folders for part in ("templates", "static")]
    return digest(
        code_digest(),
        _library_versions(),
        _file_digest(config.site_dir / CONFIG_FILE),  # its bytes: warnings quote them
        repr(config),
        repr(options),
        repr(today),
        repr(theme),
        tree_digest(assets),
        plan_files,
        git,
        str(output),
    )


def _file_digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        return f"unreadable: {type(exc).__name__}"


@cache
def _library_versions() -> str:
    versions = []
    for name in _DRAWING_LIBRARIES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} -")
    return "; ".join(versions)
