"""YAML to plain data, keeping where every key and value was written.

Scalars stay the text the author wrote (`owner: no` is "no", `id: 0123` is
"0123", `version: 1.10` is "1.10"): YAML 1.1's implicit booleans, octals and
floats would otherwise change a plan silently. The field specs in `resolve`
convert text to numbers and dates where a field wants one, with a message
naming the line when they cannot. Only `null`/`~`/empty become None.
"""

from __future__ import annotations

import functools
import logging
import sys
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.nodes import MappingNode, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from planpress.diagnostics import Diagnostics, SourceLoc

log = logging.getLogger(__name__)

_STANDARD_TAGS = frozenset(
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq", "binary")
)
_NULL = "tag:yaml.org,2002:null"
_MERGE = "tag:yaml.org,2002:merge"
# What YAML 1.1 makes of a plain `<<` or `=` outside a key: text here, like any other scalar
_TEXT_TAGS = frozenset((_MERGE, "tag:yaml.org,2002:value"))
# The plain scalars YAML 1.1 tags as null, merge key or value (all others are read as text)
_PLAIN_TAGS = {
    **dict.fromkeys(("", "~", "null", "Null", "NULL"), _NULL),
    "<<": _MERGE,
    "=": "tag:yaml.org,2002:value",
}
MAX_NODES = 200_000  # values reached again through aliases: an alias bomb expands exponentially
MAX_DEPTH = 64
_SHARED_LENGTH = 40  # scalars up to this long are interned
# libyaml's composer recurses once per level and crashes the process (C stack overflow) some
# 30,000 levels down, so text that could nest deeper than this is scanned for depth first.
_SCAN_DEPTH_OVER = 1000
_ALIAS_MESSAGE = (
    f"YAML aliases expand to too many values (over {MAX_NODES})",
    "aliases that expand exponentially are refused; write the data out plainly",
)
_DEPTH_MESSAGE = (
    f"YAML nested too deeply (over {MAX_DEPTH} levels)",
    "plans need only a few levels of lists and mappings; flatten the data",
)

KeyPath = tuple[str | int, ...]


class _TextResolver(BaseResolver):
    """Tags plain scalars null, merge, value or str, and nothing else.

    SafeLoader's resolver matches every plain scalar against the YAML 1.1 patterns for
    booleans, numbers and timestamps (a fifth of the time libyaml takes to compose a plan),
    only for the converter to keep the text anyway: every standard tag reads as text, so the
    data is the same. Null, `<<` and `=` are the plain scalars the converter treats apart.
    """

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode:
            if implicit[0]:
                return _PLAIN_TAGS.get(value, self.DEFAULT_SCALAR_TAG)
            return self.DEFAULT_SCALAR_TAG
        if kind is SequenceNode:
            return self.DEFAULT_SEQUENCE_TAG
        return self.DEFAULT_MAPPING_TAG


class _PureLoader(Reader, Scanner, Parser, Composer, _TextResolver):
    """PyYAML's own parser: what reads YAML when PyYAML was built without libyaml."""

    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        _TextResolver.__init__(self)


try:
    from yaml._yaml import CParser

    class _CLoader(CParser, _TextResolver):
        """libyaml's parser: nine times as fast, with the same nodes and marks."""

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            _TextResolver.__init__(self)

    _Loader: type = _CLoader
    LIBYAML = True
except ImportError:  # the same data, only slower: parse_yaml warns once
    _Loader = _PureLoader
    LIBYAML = False


@dataclass(slots=True)
class YamlTree:
    """Plain data (dict/list/str/None) plus a map from key path to (line, col), 1-based."""

    data: Any
    value_pos: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)
    key_pos: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)


class _TooLarge(Exception):
    """Raised with (mark, (message, hint)) when the data would expand or nest too far."""


class _Converter:
    """Composed nodes to plain data, noting where each key and value was written."""

    def __init__(
        self, path: str, line_offset: int, diagnostics: Diagnostics, aliases: bool = True
    ) -> None:
        self.path = path
        self.line_offset = line_offset
        self.diagnostics = diagnostics
        self.tree = YamlTree(None)
        self.count = 0  # nodes converted again: an alias repeats its anchor's whole subtree
        # Only an alias (`*name`) reaches a node twice: text without '*' needs no tracking.
        self.seen: set[int] | None = set() if aliases else None

    def loc(self, mark: yaml.Mark) -> SourceLoc:
        return SourceLoc(self.path, mark.line + 1 + self.line_offset, mark.column + 1)

    def convert(self, node: yaml.Node, path: KeyPath, depth: int) -> Any:
        if self.seen is not None:
            self.visit(node)
        mark = node.start_mark
        if depth > MAX_DEPTH:
            raise _TooLarge(mark, _DEPTH_MESSAGE)
        self.tree.value_pos[path] = (mark.line + 1 + self.line_offset, mark.column + 1)
        tag = node.tag
        if isinstance(node, ScalarNode):
            if tag in _STANDARD_TAGS or tag in _TEXT_TAGS:
                return None if tag == _NULL else _text(node.value)
        elif tag in _STANDARD_TAGS:
            if isinstance(node, MappingNode):
                return self.mapping(node, path, depth)
            return [self.convert(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        self.diagnostics.error(
            self.loc(mark),
            f"unsupported YAML tag '{tag}'",
            "planpress reads plain YAML only; remove the tag",
        )
        return None

    def visit(self, node: yaml.Node) -> None:
        """Count the nodes that aliases reach again, up to MAX_NODES."""
        assert self.seen is not None
        if id(node) in self.seen:
            self.count += 1
            if self.count > MAX_NODES:
                raise _TooLarge(node.start_mark, _ALIAS_MESSAGE)
        else:
            self.seen.add(id(node))

    def mapping(self, node: MappingNode, path: KeyPath, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        key_pos = self.tree.key_pos
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                self.diagnostics.error(
                    self.loc(key_node.start_mark),
                    "YAML merge keys ('<<') are not supported",
                    "write the keys out in full",
                )
                continue
            if not isinstance(key_node, ScalarNode):
                self.diagnostics.error(self.loc(key_node.start_mark), "a key must be plain text")
                continue
            key = _text(key_node.value)
            key_path = (*path, key)
            if key in result:
                self.diagnostics.error(
                    self.loc(key_node.start_mark),
                    f"duplicate key '{key}' (first written at line {key_pos[key_path][0]})",
                    "keep one of them; YAML would silently drop the first",
                )
                continue
            mark = key_node.start_mark
            key_pos[key_path] = (mark.line + 1 + self.line_offset, mark.column + 1)
            result[key] = self.convert(value_node, key_path, depth + 1)
        return result


def _text(value: str) -> str:
    """A scalar's text; short ones shared between documents (thousands of plans repeat the
    same keys, statuses and names: one copy each keeps a large site's model small)."""
    return sys.intern(value) if len(value) <= _SHARED_LENGTH else value


def parse_yaml(text: str, path: str, diagnostics: Diagnostics, line_offset: int = 0) -> YamlTree:
    """Parse one YAML document; problems go to diagnostics and data is None."""
    if not LIBYAML:
        _warn_pure_python()
    converter = _Converter(path, line_offset, diagnostics, aliases="*" in text)
    try:
        deep = _too_deep(text)
        if deep is not None:
            diagnostics.error(converter.loc(deep), *_DEPTH_MESSAGE)
            return converter.tree
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = converter.loc(mark) if mark else SourceLoc(path)
        problem = exc.problem or "invalid YAML"
        context = f" ({exc.context})" if exc.context else ""
        line = text.split("\n")[mark.line] if mark and mark.line < text.count("\n") + 1 else ""
        diagnostics.error(loc, f"invalid YAML: {problem}{context}", _yaml_hint(problem, line))
        return converter.tree
    except yaml.YAMLError as exc:
        diagnostics.error(SourceLoc(path, 1 + line_offset), f"invalid YAML: {exc}")
        return converter.tree
    if node is None:
        return converter.tree
    try:
        converter.tree.data = converter.convert(node, (), 0)
    except _TooLarge as exc:
        mark, (message, hint) = exc.args
        diagnostics.error(converter.loc(mark), message, hint)
        converter.tree.data = None
    return converter.tree


@functools.cache
def _warn_pure_python() -> None:
    log.warning(
        "PyYAML was built without libyaml: reading plans takes six times as long; "
        "install libyaml (e.g. apt install libyaml-dev), then reinstall PyYAML: "
        "pip install --force-reinstall --no-binary pyyaml pyyaml"
    )


def _too_deep(text: str) -> yaml.Mark | None:
    """Where collections nest deeper than MAX_DEPTH, when text could nest dangerously deep.

    Block collections nest only by indenting further (two per column at most: a mapping and
    a sequence at the same column), flow collections only by brackets, which bounds the depth
    without parsing. Only text that might exceed the bound is scanned, event by event.
    """
    longest = max(map(len, text.split("\n")), default=0)
    if 2 * (longest + 1) + text.count("[") + text.count("{") <= _SCAN_DEPTH_OVER:
        return None
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                return event.start_mark
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return None


def _yaml_hint(problem: str, line: str) -> str:
    if "\t" in line[: len(line) - len(line.lstrip())] or "'\\t'" in problem:
        return "indent with spaces, not tabs"
    if "mapping values are not allowed" in problem:
        return "quote a value that contains ': ', or check the indentation of this line"
    if "could not find expected ':'" in problem or "simple key" in problem:
        return "check the indentation, and close any quote opened on this line or above"
    if "found unexpected end of stream" in problem or "quoted scalar" in problem:
        return "a quote was opened and never closed"
    return "check the indentation and quoting near this line"
