"""Themes: template and asset lookup, with the site's own files overriding the theme's.

A site overrides any template by putting a file of the same name in its
`templates/` folder, and any asset in its `static/` folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from planpress.diagnostics import Diagnostic, Level, PlanpressError, SourceLoc, did_you_mean

if TYPE_CHECKING:  # Jinja is imported when a page is drawn, not for `planpress check`
    import jinja2

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def theme_search_path() -> list[Path]:
    """Installed wheels carry themes inside the package; a checkout has them at the top."""
    return [_PACKAGE_DIR / "themes", _PACKAGE_DIR.parent / "themes"]


@dataclass(frozen=True, slots=True)
class Theme:
    name: str
    folders: tuple[Path, ...]  # most specific first: site overrides, then the theme

    @classmethod
    def find(cls, name: str, site_dir: Path) -> Theme:
        candidates = [site_dir / "themes", *theme_search_path()]
        for root in candidates:
            if (root / name / "templates").is_dir():
                return cls(name, (site_dir, root / name))
        known = sorted({p.name for root in candidates if root.is_dir() for p in root.iterdir()})
        hint = did_you_mean(name, known) or f"available themes: {', '.join(known) or 'none'}"
        raise PlanpressError(
            f"theme '{name}' not found (looked in {', '.join(map(str, candidates))}); {hint}"
        )

    def environment(self) -> jinja2.Environment:
        import jinja2

        loader = jinja2.FileSystemLoader([str(folder / "templates") for folder in self.folders])
        return jinja2.Environment(
            loader=loader,
            autoescape=True,  # every template, HTML and SVG alike
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )

    def static_files(self) -> dict[str, bytes]:
        """Assets under static/, the site's own winning over the theme's."""
        files: dict[str, bytes] = {}
        for folder in reversed(self.folders):
            static = folder / "static"
            if not static.is_dir():
                continue
            for path in sorted(static.rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    files["static/" + path.relative_to(static).as_posix()] = path.read_bytes()
        return files

    def kinds(self) -> tuple[str, ...]:
        """Plan kinds the theme adds, one template each under templates/kinds/."""
        found = set()
        for folder in self.folders:
            kinds_dir = folder / "templates" / "kinds"
            if kinds_dir.is_dir():
                found |= {p.stem for p in kinds_dir.glob("*.html")}
        return tuple(sorted(found))


def template_error(name: str, exc: jinja2.TemplateError) -> PlanpressError:
    """A template problem as a diagnostic with the template's file and line."""
    where = getattr(exc, "filename", None) or name
    line = getattr(exc, "lineno", None) or 0
    message = f"template error while rendering {name}: {exc.message or exc}"
    diagnostic = Diagnostic(
        Level.ERROR,
        SourceLoc(str(where), line),
        message,
        "fix the template, or remove your override to use the theme's",
    )
    return PlanpressError(f"template {name} failed", [diagnostic])
