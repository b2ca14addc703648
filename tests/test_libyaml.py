"""Content files read through libyaml (kit.content.libyaml) give what ruamel's pure loader gives, or
are left to it: the same values and the same lines for every key and item, whatever the text."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from kit.content import libyaml
from kit.content.fields import Problems, _yaml, load_yaml
from kit.content.parsed import encode

ROOT = Path(__file__).parent.parent
SHIPPED = sorted(p for folder in (ROOT / "kit", ROOT / "tests" / "fixtures") for p in folder.rglob("*.yaml")
                 if "output" not in p.parts)


def plain(data):
    """A parse as JSON-ready data, with the line and column of every key and item. An empty value's
    own place is left out: libyaml puts it after its key, the pure loader at the next line."""
    if isinstance(data, dict) and "m" in data:
        return {"m": [[plain(k), plain(v)] for k, v in data["m"]], "at": data["at"],
                "lc": [w[:2] if w and v is None else w for (k, v), w in zip(data["m"], data["lc"], strict=True)]}
    if isinstance(data, dict) and "s" in data:
        return {"s": [plain(v) for v in data["s"]], "at": data["at"], "lc": data["lc"]}
    return data


def pure(text: str):
    return plain(encode(_yaml().load(text)))


def fast(text: str):
    return plain(encode(libyaml.load(text)))


def test_libyaml_is_installed_by_the_set_up():
    assert libyaml._loader_class() is not None, "ruamel.yaml.clib (libyaml) is missing: see pyproject.toml"


def test_every_file_kit_ships_reads_the_same_through_libyaml():
    assert len(SHIPPED) > 40
    for path in SHIPPED:
        text = path.read_text(encoding="utf-8-sig")
        assert fast(text) == pure(text), path


def test_mistyped_files_read_the_same_or_are_left_to_the_pure_loader():
    """Each file, with a few characters inserted, deleted or replaced at random (seeded): when libyaml
    reads it, the pure loader reads it too, to the same values at the same lines."""
    marks = [":", "-", " ", "\t", "\n", "'", '"', "[", "]", "{", "}", "#", "&", "*", "!", "|", ">", "?", ",",
             "%", "@", "\u2028", "\x85", "\ufeff", "é", "\\", "`", "~", "0", "\r", "\x00"]
    draw = random.Random(7)
    read = left = 0
    for path in SHIPPED[::3]:
        text = path.read_text(encoding="utf-8-sig")
        for _ in range(25):
            chars = list(text) or [" "]
            for _ in range(draw.randint(1, 3)):
                at, how, mark = draw.randrange(len(chars)), draw.random(), draw.choice(marks)
                if how < 0.4:
                    chars.insert(at, mark)
                elif how < 0.7:
                    del chars[at]
                else:
                    chars[at] = mark
            mistyped = "".join(chars)
            try:
                got = fast(mistyped)
            except libyaml.Unusual:
                left += 1
                continue
            read += 1
            assert got == pure(mistyped), f"{path.name}: {mistyped!r}"
    assert read > 100 and left > 30  # both ways were taken


@pytest.mark.parametrize("text", [
    "a: 1\tb\n",                       # a tab (the pure scanner refuses some libyaml takes)
    "a: 1\u2028b: 2\n",                # a line break for YAML 1.1, a character for 1.2
    "a: x\x85y\n",
    "a: 1\n\ufeffb: 2\n",              # a byte-order mark past the start
    "%YAML 1.1\n---\na: yes\n",        # a directive: `yes` is true in YAML 1.1
    "a: &x 1\nb: *x\n",                # an anchor and an alias
    "a: !!str 1\n",                    # a tag
    "accent: >#e8743b\n",              # a comment glued to a block scalar's indicator
    "- d: >-\n \n   y z\n",             # a line of spaces, then a line indented more, in a block scalar
])
def test_what_the_two_read_differently_is_left_to_the_pure_loader(text, tmp_path):
    with pytest.raises(libyaml.Unusual):
        libyaml.load(text)
    path = tmp_path / "f.yaml"
    path.write_text(text, encoding="utf-8")
    problems = Problems()
    data = load_yaml(path, "f.yaml", problems)
    try:
        expected = _yaml().load(text)
    except Exception:  # noqa: BLE001 — the pure loader refuses it: so does kit, with a problem
        assert data is None and problems.errors
    else:
        assert repr(data) == repr(expected) and not problems.errors


def test_a_file_nested_too_deep_is_a_problem_not_a_crash(tmp_path):
    """libyaml's own composer would overflow the C stack here and end the process."""
    path = tmp_path / "deep.yaml"
    path.write_text("a: " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    problems = Problems()
    assert load_yaml(path, "deep.yaml", problems) is None
    assert "levels of lists and mappings" in problems.errors[0].message


def test_syntax_errors_keep_the_pure_loaders_wording(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("title: Essai\nblocks:\n  - title: Accueil\n    duration: 5\n  - title: Tour rapide : une minute\n",
                    encoding="utf-8")
    problems = Problems()
    assert load_yaml(path, "s.yaml", problems) is None
    assert problems.errors[0].line == 5
    assert 'a ": " inside a text' in problems.errors[0].message
