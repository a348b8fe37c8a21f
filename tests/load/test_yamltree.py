import logging

import pytest
import yaml
from yaml.nodes import ScalarNode

from planpress.diagnostics import Diagnostics
from planpress.load import yamltree
from planpress.load.yamltree import MAX_NODES, parse_yaml


def parse(text: str, offset: int = 0):
    diagnostics = Diagnostics()
    return parse_yaml(text, "plan.md", diagnostics, line_offset=offset), diagnostics


def test_scalars_stay_the_text_the_author_wrote():
    tree, diagnostics = parse("owner: no\nid: 0123\nat: 12:30\nversion: 1.10\nflag: on\nempty:\n")
    assert tree.data == {
        "owner": "no",
        "id": "0123",
        "at": "12:30",
        "version": "1.10",
        "flag": "on",
        "empty": None,
    }
    assert not diagnostics.items


def test_positions_of_keys_and_values_include_the_offset():
    tree, _ = parse("title: A\nmilestones:\n  - name: M\n    due: soon\n", offset=1)
    assert tree.value_pos[("milestones", 0, "due")] == (5, 10)
    assert tree.key_pos[("milestones", 0, "due")] == (5, 5)


def test_duplicate_keys_are_errors_naming_both_lines():
    _, diagnostics = parse("title: A\nowner: x\ntitle: B\n")
    [error] = diagnostics.errors
    assert error.format().startswith(
        "plan.md:3:1: error: duplicate key 'title' (first written at line 1)"
    )


def test_python_tags_are_refused():
    tree, diagnostics = parse("title: !!python/object/apply:os.system ['echo hi']\n")
    assert tree.data == {"title": None}
    assert "unsupported YAML tag" in diagnostics.errors[0].message


def test_tab_indentation_gives_a_hint():
    _, diagnostics = parse("title: A\nkpis:\n\t- id: x\n")
    [error] = diagnostics.errors
    assert error.loc.line == 3
    assert "tabs" in error.hint


def test_unclosed_quote_is_reported_with_a_line():
    _, diagnostics = parse('title: "A\nowner: x\n')
    [error] = diagnostics.errors
    assert error.message.startswith("invalid YAML")
    assert error.loc.line >= 1


def test_alias_bomb_is_refused_quickly():
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for index in range(1, 9):
        lines.append(
            f"{chr(97 + index)}: &{chr(97 + index)} ["
            + ", ".join([f"*{chr(96 + index)}"] * 9)
            + "]"
        )
    tree, diagnostics = parse("\n".join(lines) + "\n")
    assert tree.data is None
    assert str(MAX_NODES) in diagnostics.errors[0].message


def test_deep_nesting_is_refused():
    tree, diagnostics = parse("a: " + "[" * 100 + "]" * 100 + "\n")
    assert tree.data is None
    assert diagnostics.errors


# Plain scalars YAML 1.1 reads as something other than text ('!', '&' and '*' alone, which
# PyYAML would tag 'yaml', cannot be plain scalars: YAML reads them as tag, anchor, alias)
LOOK_ALIKES = [
    *("", "~", "null", "Null", "NULL", "nULL", "none", "<<", "=", "<<<", "=="),
    *("yes", "No", "ON", "off", "y", "true", "False", "TRUE", "0", "-12", "+7", "0123"),
    *("0o17", "0x1F", "0b101", "1_000", "190:20:30", "12:30", "1.10", "1e3", "-.5", ".inf"),
    *("-.Inf", ".NaN", "2024-07-01", "2024-7-1", "2024-07-01 12:30:00", "2001-12-14t21:59:43Z"),
    *("Maria Lopez", "week 3", "Q3 2024", "10%", "$1,000", "-"),
]


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_plain_scalars_are_told_apart_only_where_the_data_differs(text):
    """Ours tags a plain scalar null, merge or value exactly where PyYAML does; anything
    else it leaves str where PyYAML finds a number, date or boolean, all read as text."""
    ours = yamltree._TextResolver().resolve(ScalarNode, text, (True, False))
    theirs = yaml.SafeLoader("").resolve(ScalarNode, text, (True, False))
    apart = {yamltree._NULL, yamltree._MERGE, "tag:yaml.org,2002:value"}
    assert ours == (theirs if theirs in apart else "tag:yaml.org,2002:str")
    assert theirs in yamltree._STANDARD_TAGS | yamltree._TEXT_TAGS


def test_the_c_parser_is_used_when_pyyaml_has_it():
    assert yaml.__with_libyaml__ == yamltree.LIBYAML
    if yaml.__with_libyaml__:
        from yaml._yaml import CParser

        assert issubclass(yamltree._Loader, CParser)


SAMPLES = [
    "title: A\nowner: no\nkpis:\n  - {id: k, target: 1.10}\n  - [a, 'b', \"c\"]\nnone:\n",
    "a: &x [1, 2]\nb: *x\n<<: {c: 1}\nd: <<\ne: =\nf: !!int x\ng: !local y\n",
    "title: A\ntitle: B\n? [k]\n: v\nlong: |\n  text\n  more\n",
    'title: "unclosed\nowner: x\n',
    "title: A\n\t- tab\n",
]


def test_without_libyaml_the_same_data_is_read_with_a_warning(monkeypatch, caplog):
    with_c = [parse(text, offset=1) for text in SAMPLES]
    monkeypatch.setattr(yamltree, "_Loader", yamltree._PureLoader)
    monkeypatch.setattr(yamltree, "LIBYAML", False)
    yamltree._warn_pure_python.cache_clear()
    with caplog.at_level(logging.WARNING, logger="planpress.load.yamltree"):
        pure = [parse(text, offset=1) for text in SAMPLES]
    yamltree._warn_pure_python.cache_clear()
    for (tree, diagnostics), (want, expected) in zip(pure, with_c, strict=True):
        assert tree.data == want.data
        assert (tree.value_pos, tree.key_pos) == (want.value_pos, want.key_pos)
        # the two parsers word some syntax errors differently, but place them alike
        assert [d.loc for d in diagnostics.items] == [d.loc for d in expected.items]
    assert caplog.text.count("without libyaml") == 1  # once per process
