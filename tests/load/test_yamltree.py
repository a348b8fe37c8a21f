from planpress.diagnostics import Diagnostics
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
