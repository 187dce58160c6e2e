"""Bounded JSON and YAML: depth, alias expansion, surrogates, non-finite numbers; journal entries always serialise."""

from __future__ import annotations

import json

import pytest
import yaml

from emulator.core.http import jsonsafe
from emulator.core.persist import yaml_bounds


def test_json_within_the_depth_limit_parses_and_beyond_it_is_refused_before_parsing():
    assert jsonsafe.loads("[" * 64 + "]" * 64) is not None
    with pytest.raises(jsonsafe.TooDeep):
        jsonsafe.loads("[" * 65 + "]" * 65)
    with pytest.raises(jsonsafe.TooDeep):
        jsonsafe.loads("[" * 1_000_000)


def test_brackets_inside_strings_do_not_count_as_depth():
    assert jsonsafe.loads('{"a": "' + "[" * 1000 + '\\"["}') == {"a": "[" * 1000 + '"['}


@pytest.mark.parametrize("text", ['{"a": "\\ud800"}', '{"\\udfff": 1}', '{"a": NaN}', '{"a": 1e999}', "[-Infinity]"])
def test_values_that_cannot_travel_on_are_refused(text):
    with pytest.raises(ValueError):
        jsonsafe.loads(text)


def test_jsonable_bounds_depth_and_turns_anything_into_json():
    deep: list = []
    node = deep
    for _ in range(200):
        node.append([])
        node = node[0]
    value = jsonsafe.jsonable({"deep": deep, "bytes": b"abc", "set": {1}, "nan": float("nan"), 1: object()})
    text = json.dumps(value)
    assert jsonsafe.TRUNCATED in text and '"bytes": {"binary": 3}' in text and '"nan": "nan"' in text


def test_yaml_alias_expansion_is_counted_without_expanding():
    bomb = "a: &a [x,x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{','.join([f'*{chr(97 + i)}'] * 10)}]\n" for i in range(9)
    )
    node = yaml.compose(bomb, Loader=yaml.SafeLoader)
    with pytest.raises(yaml_bounds.TooLarge):
        yaml_bounds.check_expansion(node)
    small = yaml.compose("a: &a [1, 2]\nb: [*a, *a]\n", Loader=yaml.SafeLoader)
    assert yaml_bounds.check_expansion(small) == 13  # map, 2 keys, a: 3, b: 1 + 2 x 3
    assert yaml_bounds.construct(small) == {"a": [1, 2], "b": [[1, 2], [1, 2]]}


def test_yaml_depth_is_checked_from_tokens():
    yaml_bounds.check_depth("a:\n  b:\n    c: [1, {d: 2}]\n")
    with pytest.raises(yaml_bounds.TooLarge) as refused:
        yaml_bounds.check_depth("- " * 40 + "x")
    assert refused.value.line == 1


def test_yaml_values_python_cannot_hold_are_refused():
    with pytest.raises(yaml_bounds.TooLarge):
        yaml_bounds.construct(yaml.compose("a: " + "9" * 5000, Loader=yaml.SafeLoader))
    with pytest.raises(yaml_bounds.TooLarge):
        yaml_bounds.construct(yaml.compose('a: "\\ud800"', Loader=yaml.SafeLoader))
