"""The site configuration (`planpress.yaml`): typed, every key optional."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from planpress.diagnostics import Diagnostics, SourceLoc
from planpress.load.files import decode_text
from planpress.load.yamltree import YamlTree, parse_yaml
from planpress.resolve.fields import FieldReader
from planpress.resolve.ids import id_problem

CONFIG_FILE = "planpress.yaml"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# a slots dataclass keeps no class attribute for a default: SiteConfig.page_size is a descriptor
PAGE_SIZE = 100


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """One field per `planpress.yaml` key; paths are absolute once loaded."""

    site_dir: Path
    title: str = "Plans"
    base_url: str = ""  # only for absolute links in feeds; pages link relatively
    content_dir: Path = Path("content")
    output_dir: Path = Path("site")
    theme: str = "default"
    today: dt.date | None = None  # None: SOURCE_DATE_EPOCH, else the build date
    week_starts: str = "monday"
    currency: str = ""
    audiences: tuple[str, ...] = ()
    due_soon_days: int = 14
    review_months_before: int = 1  # the review page covers the previous month …
    review_months_after: int = 1  # … and the next one, around today
    pretty_urls: bool = False  # plans/a/ instead of plans/a.html (web servers only)
    unsafe_html: bool = False  # raw HTML in Markdown reaches the pages: every author is trusted
    history: bool = True  # plan pages show their git history (inside a git work tree)
    baseline: str = ""  # a git revision whose dates the build compares with; '' for none
    page_size: int = PAGE_SIZE  # entries a portfolio page lists before it continues (render.paging)
    extra: dict = field(default_factory=dict)

    def resolve_today(self, override: dt.date | None = None) -> dt.date:
        """The day statuses are computed for: flag, config, SOURCE_DATE_EPOCH, build date."""
        if override is not None:
            return override
        if self.today is not None:
            return self.today
        epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
        if epoch.isdigit():
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
        return dt.datetime.now(tz=dt.UTC).date()


CONFIG_KEYS = (
    *("title", "base_url", "content_dir", "output_dir", "theme", "today"),
    *("week_starts", "currency", "audiences", "due_soon_days"),
    *("review_months_before", "review_months_after", "pretty_urls", "unsafe_html"),
    *("history", "baseline", "page_size"),
)


def load_config(site_dir: Path, diagnostics: Diagnostics) -> SiteConfig:
    """Read planpress.yaml from site_dir; a missing file means every default."""
    site_dir = site_dir.resolve()
    path = site_dir / CONFIG_FILE
    tree = YamlTree({})
    if path.is_file():
        text = decode_text(path.read_bytes(), CONFIG_FILE, diagnostics)
        tree = parse_yaml(text or "", CONFIG_FILE, diagnostics)
    reader = FieldReader(tree, CONFIG_FILE, diagnostics)
    fields = reader.mapping((), tree.data, CONFIG_KEYS, "planpress.yaml")
    return SiteConfig(
        site_dir=site_dir,
        title=reader.text(("title",), fields.get("title")) or "Plans",
        base_url=reader.text(("base_url",), fields.get("base_url")).rstrip("/"),
        content_dir=site_dir
        / (reader.text(("content_dir",), fields.get("content_dir")) or "content"),
        output_dir=site_dir / (reader.text(("output_dir",), fields.get("output_dir")) or "site"),
        theme=reader.text(("theme",), fields.get("theme")) or "default",
        today=_today(reader, fields.get("today")),
        week_starts=reader.choice(("week_starts",), fields.get("week_starts"), WEEKDAYS, "monday"),
        currency=reader.text(("currency",), fields.get("currency")),
        audiences=_audiences(reader, fields.get("audiences")),
        due_soon_days=_positive(reader, ("due_soon_days",), fields.get("due_soon_days"), 14),
        review_months_before=_positive(
            reader, ("review_months_before",), fields.get("review_months_before"), 1
        ),
        review_months_after=_positive(
            reader, ("review_months_after",), fields.get("review_months_after"), 1
        ),
        pretty_urls=reader.boolean(("pretty_urls",), fields.get("pretty_urls"), False),
        unsafe_html=reader.boolean(("unsafe_html",), fields.get("unsafe_html"), False),
        history=reader.boolean(("history",), fields.get("history"), True),
        baseline=reader.text(("baseline",), fields.get("baseline")).strip(),
        page_size=_page_size(reader, fields.get("page_size")),
        extra=fields.get("extra") if isinstance(fields.get("extra"), dict) else {},
    )


def _today(reader: FieldReader, value: object) -> dt.date | None:
    expr = reader.day(("today",), value)
    return expr.span.first if expr is not None and expr.span is not None else None


def _audiences(reader: FieldReader, value: object) -> tuple[str, ...]:
    names = reader.strings(("audiences",), value)
    for name in names:
        problem = id_problem(name, allow_slash=False)
        if problem:
            reader.error(("audiences",), problem)
    return names


def _positive(reader: FieldReader, keypath: tuple, value: object, default: int) -> int:
    number = reader.number(keypath, value)
    if number is None:
        return default
    if not isinstance(number, int) or number < 0:
        reader.error(keypath, f"expected a whole number of days, got '{value}'")
        return default
    return number


def _page_size(reader: FieldReader, value: object) -> int:
    number = reader.number(("page_size",), value)
    if number is None:
        return PAGE_SIZE
    if not isinstance(number, int) or number < 1:
        reader.error(
            ("page_size",),
            f"expected a whole number of entries per page, at least 1, got '{value}'",
            "the default is 100; long lists continue on numbered pages",
        )
        return PAGE_SIZE
    return number


def config_error_loc() -> SourceLoc:
    return SourceLoc(CONFIG_FILE)
