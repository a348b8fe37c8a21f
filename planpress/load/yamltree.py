"""YAML to plain data, keeping where every key and value was written.

Scalars stay the text the author wrote (`owner: no` is "no", `id: 0123` is
"0123", `version: 1.10` is "1.10"): YAML 1.1's implicit booleans, octals and
floats would otherwise change a plan silently. The field specs in `resolve`
convert text to numbers and dates where a field wants one, with a message
naming the line when they cannot. Only `null`/`~`/empty become None.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any

import yaml

from planpress.diagnostics import Diagnostics, SourceLoc

try:  # libyaml parses about 7x faster than the pure-Python parser
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

_STANDARD_TAGS = frozenset(
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq", "binary")
)
# What YAML 1.1 makes of a plain `<<` or `=` outside a key: text here, like any other scalar
_TEXT_TAGS = frozenset(("tag:yaml.org,2002:merge", "tag:yaml.org,2002:value"))
_NULL = "tag:yaml.org,2002:null"
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


@dataclass(slots=True)
class YamlTree:
    """Plain data (dict/list/str/None) plus a map from key path to (line, col), 1-based."""

    data: Any
    value_pos: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)
    key_pos: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)


class _TooLarge(Exception):
    """Raised with (mark, (message, hint)) when the data would expand or nest too far."""


class _Converter:
    def __init__(self, path: str, line_offset: int, diagnostics: Diagnostics) -> None:
        self.path = path
        self.line_offset = line_offset
        self.diagnostics = diagnostics
        self.tree = YamlTree(None)
        self.count = 0  # nodes converted again: an alias repeats its anchor's whole subtree
        self.seen: set[int] = set()

    def loc(self, mark: yaml.Mark) -> SourceLoc:
        return SourceLoc(self.path, mark.line + 1 + self.line_offset, mark.column + 1)

    def position(self, mark: yaml.Mark) -> tuple[int, int]:
        return (mark.line + 1 + self.line_offset, mark.column + 1)

    def convert(self, node: yaml.Node, path: KeyPath, depth: int) -> Any:
        if id(node) in self.seen:
            self.count += 1
            if self.count > MAX_NODES:
                raise _TooLarge(node.start_mark, _ALIAS_MESSAGE)
        else:
            self.seen.add(id(node))
        if depth > MAX_DEPTH:
            raise _TooLarge(node.start_mark, _DEPTH_MESSAGE)
        self.tree.value_pos[path] = self.position(node.start_mark)
        if node.tag not in _STANDARD_TAGS and not (
            node.tag in _TEXT_TAGS and isinstance(node, yaml.ScalarNode)
        ):
            self.diagnostics.error(
                self.loc(node.start_mark),
                f"unsupported YAML tag '{node.tag}'",
                "planpress reads plain YAML only; remove the tag",
            )
            return None
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        if node.tag == _NULL:
            return None
        return _text(node.value)

    def mapping(self, node: yaml.MappingNode, path: KeyPath, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.diagnostics.error(
                    self.loc(key_node.start_mark),
                    "YAML merge keys ('<<') are not supported",
                    "write the keys out in full",
                )
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.diagnostics.error(self.loc(key_node.start_mark), "a key must be plain text")
                continue
            key = _text(key_node.value)
            if key in result:
                first = self.tree.key_pos[(*path, key)]
                self.diagnostics.error(
                    self.loc(key_node.start_mark),
                    f"duplicate key '{key}' (first written at line {first[0]})",
                    "keep one of them; YAML would silently drop the first",
                )
                continue
            self.tree.key_pos[(*path, key)] = self.position(key_node.start_mark)
            result[key] = self.convert(value_node, (*path, key), depth + 1)
        return result


def _text(value: object) -> str:
    """A scalar's text; short ones shared between documents (thousands of plans repeat the
    same keys, statuses and names: one copy each keeps a large site's model small)."""
    text = str(value)
    return sys.intern(text) if len(text) <= _SHARED_LENGTH else text


def parse_yaml(text: str, path: str, diagnostics: Diagnostics, line_offset: int = 0) -> YamlTree:
    """Parse one YAML document; problems go to diagnostics and data is None."""
    converter = _Converter(path, line_offset, diagnostics)
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
