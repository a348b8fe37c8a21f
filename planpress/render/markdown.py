"""Markdown to HTML: raw HTML off, unsafe link schemes dropped, cross-references linked.

`[[plan]]`, `[[plan#item]]` and `@person` become links through inline rules; a
relative link to a `.md` plan file is rewritten to the plan's page.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from mdit_py_plugins.tasklists import tasklists_plugin

from planpress.render import urls
from planpress.resolve.model import RESTRICTED
from planpress.resolve.references import WIKI_LINK

_MENTION_AT = re.compile(r"@([A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9])?)")
_NOT_BEFORE_MENTION = re.compile(r"[\w.@/]")
_MD_TARGET = re.compile(r"^(?![a-z][a-z0-9+.-]*:|/)([^#?]+\.md)(#.*)?$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class LinkContext:
    """What the link rules need to know about the page being rendered."""

    page: str  # output path of the page, for relative links
    link: Callable[[str, str], str]  # (from page, to path) -> href, in the site's URL style
    source: str  # source path of the plan, for links to .md files
    plan_title: Callable[[str], str | None]  # plan id -> title, None when not in this build
    item_title: Callable[[str, str], str | None]
    party_name: Callable[[str], tuple[str, str] | None]  # key as written -> (key, name)
    plan_by_source: Callable[[str], str | None]  # RESTRICTED for a plan hidden from the build
    restricted: Callable[[str], bool] = frozenset().__contains__  # plan id hidden from the build


def make_markdown(unsafe_html: bool = False) -> MarkdownIt:
    """The Markdown renderer; raw HTML in the text is shown as text unless `unsafe_html`."""
    md = MarkdownIt("commonmark", {"html": unsafe_html, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.use(tasklists_plugin, label=True)  # a label names each checkbox for screen readers
    md.inline.ruler.before("link", "wikilink", _wikilink_rule)
    md.inline.ruler.before("link", "mention", _mention_rule)
    md.core.ruler.push("md_links", _rewrite_md_links)
    return md


def _link_tokens(state: StateInline, href: str | None, text: str, css: str) -> None:
    if href is None:  # not in this build: plain text, as the confidentiality rules ask
        token = state.push("text", "", 0)
        token.content = text
        return
    token = state.push("link_open", "a", 1)
    token.attrs = {"href": href, "class": css}
    token = state.push("text", "", 0)
    token.content = text
    state.push("link_close", "a", -1)


def _wikilink_rule(state: StateInline, silent: bool) -> bool:
    if not state.src.startswith("[[", state.pos):
        return False
    match = WIKI_LINK.match(state.src, state.pos)
    if match is None:
        return False
    if not silent:
        context: LinkContext = state.env["links"]
        plan_id, item_id = match.group(1).strip(), (match.group(2) or "").strip()
        label = (match.group(3) or "").strip()
        title = context.plan_title(plan_id)
        href, text = None, label or plan_id
        if title is None and context.restricted(plan_id):  # neither its title nor its id
            text = label or ("restricted" if item_id else "restricted plan")
        elif title is not None:
            target = urls.plan_page(plan_id)
            item = context.item_title(plan_id, item_id) if item_id else None
            if item_id and item is None:  # reported by check; no link to a missing anchor
                target, text = "", label or f"{title}#{item_id}"
            elif item_id:
                text = label or f"{item} ({title})"
                target += "#" + urls.item_anchor(item_id)
            else:
                text = label or title
            href = context.link(context.page, target) if target else None
        _link_tokens(state, href, text, "xref")
    state.pos = match.end()
    return True


def _mention_rule(state: StateInline, silent: bool) -> bool:
    if state.src[state.pos] != "@":
        return False
    if state.pos and _NOT_BEFORE_MENTION.match(state.src[state.pos - 1]):
        return False  # an e-mail address or a path, not a mention
    match = _MENTION_AT.match(state.src, state.pos)
    if match is None:
        return False
    context: LinkContext = state.env["links"]
    found = context.party_name(match.group(1))
    if found is None:
        return False
    key, name = found
    if not silent:
        href = context.link(context.page, urls.party_page(key))
        _link_tokens(state, href, name, "mention")
    state.pos = match.end()
    return True


def _rewrite_md_links(state) -> None:
    """A relative link to another plan's .md file points at that plan's page instead."""
    context: LinkContext | None = state.env.get("links")
    if context is None:
        return
    for block in state.tokens:
        hiding = False
        for token in block.children or ():
            if token.type == "link_close" and hiding:  # links do not nest
                token.tag, hiding = "span", False
            if token.type != "link_open":
                continue
            match = _MD_TARGET.match(str(token.attrGet("href") or ""))
            if match is None:
                continue
            folder = posixpath.dirname(context.source)
            target = posixpath.normpath(posixpath.join(folder, match.group(1)))
            plan_id = context.plan_by_source(target)
            if plan_id == RESTRICTED:  # the text stays, without the hidden plan's file name
                token.tag, token.attrs, hiding = "span", {"class": "restricted"}, True
            elif plan_id is not None:
                page = urls.plan_page(plan_id) + (match.group(2) or "")
                token.attrSet("href", context.link(context.page, page))


def render_markdown(md: MarkdownIt, text: str, context: LinkContext) -> str:
    return md.render(text, {"links": context})
