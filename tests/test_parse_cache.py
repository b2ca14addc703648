"""Parses kept across processes (output/.cache/yaml) load the same content, and point at the same lines."""

from __future__ import annotations

import pytest

import kit.content.fields as fields
from kit.content import load_kit
from kit.errors import ContentError


def load(root, cache=None):
    fields._PARSED.clear()  # a new process: only the cache folder remembers
    fields.use_parse_cache(cache)
    try:
        return load_kit(root)
    finally:
        fields.use_parse_cache(None)


def test_a_kit_loaded_from_kept_parses_is_the_same_kit(fixture_kit, tmp_path):
    parsed = load(fixture_kit)
    load(fixture_kit, tmp_path / "yaml")                       # fills the cache
    assert len(list((tmp_path / "yaml").glob("*.json"))) >= 20
    kept = load(fixture_kit, tmp_path / "yaml")                # reads it
    assert repr(kept.items) == repr(parsed.items)
    assert kept.warnings == parsed.warnings


def test_every_file_of_a_kit_is_kept_kit_yaml_too(fixture_kit, tmp_path):
    """kit.yaml is read by every build: its `back_offset: {x: 0, y: 0}` (integers ruamel marks with
    how they were written) is kept as their values, not parsed again each time."""
    files = sorted(p for p in fixture_kit.rglob("*.yaml") if "output" not in p.parts)
    assert "back_offset: {x: 0, y: 0}" in (fixture_kit / "kit.yaml").read_text(encoding="utf-8")
    parsed = load(fixture_kit, tmp_path / "yaml")
    assert len(list((tmp_path / "yaml").glob("*.json"))) == len(files)
    kept = load(fixture_kit, tmp_path / "yaml")
    assert repr(kept.config) == repr(parsed.config) and kept.config.printing.back_offset_mm == (0, 0)


def test_mistakes_are_reported_at_the_same_lines_from_kept_parses(make_kit, tmp_path):
    root = make_kit({"content/sessions/s.yaml": """\
        title: Essai
        days:
          - date: 2019-05-23
            start: "9:00"
            blocks:
              - {title: Accueil, duration: 30}
              - title: Atelier
                duration: beaucoup
              - {title: Bilan, duration: 1.50, lead: [1, 2]}
        """})
    reports = []
    for cache in (None, tmp_path / "yaml", tmp_path / "yaml"):
        with pytest.raises(ContentError) as caught:
            load(root, cache)
        reports.append(caught.value.report())
    assert reports[0] == reports[1] == reports[2]
    assert "s.yaml:8:" in reports[0]
