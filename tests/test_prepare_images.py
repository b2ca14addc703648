"""Tests for preparing photos ahead of rendering: kit.images.prepare_all and the build's images stage."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from conftest import outputs_of
from kit import images
from kit.build import build, prepare_images
from kit.content import load_kit
from kit.errors import ContentError
from kit.generators import GENERATORS, RenderContext
from kit.images import PhotoRequest, is_cached, prepare, prepare_all
from kit.theme import Theme

BOX_MM = (69.0, 51.0)
JOBS = 2
COLOURS = [(200, 40, 40), (40, 160, 60), (30, 60, 200), (220, 180, 20)]
DECK = """\
title: Photos
kind: {kind}
size: poker
print: [home, shop]
{axes}cards:
{cards}"""
AXES = {"photo-debate": "axes:\n  - [éthique, pas éthique]\n", "image-starters": ""}


def deck(kind: str, cards: str) -> str:
    return DECK.format(kind=kind, axes=AXES[kind], cards=cards)


def photo(path: Path, colour: tuple[int, int, int], size: tuple[int, int] = (1600, 1200)) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, colour).save(path, "JPEG")
    return path


def refuse_decoding(monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("a photo was decoded although it had been prepared ahead")

    monkeypatch.setattr(images, "_decode", refuse)


def test_prepare_all_fills_the_cache_once_per_distinct_photo(tmp_path, monkeypatch):
    sources = [photo(tmp_path / f"p{n}.jpg", colour) for n, colour in enumerate(COLOURS)]
    requests = [PhotoRequest(source, BOX_MM) for source in sources]
    cache = tmp_path / "cache"
    images._DIGESTS.clear()
    assert not any(is_cached(r, cache) for r in requests)

    assert prepare_all(requests + requests[:2], cache, JOBS) == len(sources)
    assert len(list((cache / images.CACHE_SUBDIR).glob("*.jpg"))) == len(sources)
    assert all(is_cached(r, cache) for r in requests)
    # Nothing left to do the second time, and `prepare` now answers without decoding.
    assert prepare_all(requests, cache, JOBS) == 0
    refuse_decoding(monkeypatch)
    images._DIGESTS.clear()
    for source, colour in zip(sources, COLOURS, strict=True):
        with Image.open(prepare(source, BOX_MM, cache_dir=cache).path) as out:
            assert max(abs(a - b) for a, b in zip(out.getpixel((10, 10)), colour, strict=True)) < 8


def test_prepare_all_leaves_the_work_to_the_outputs_with_one_job(tmp_path):
    requests = [PhotoRequest(photo(tmp_path / f"p{n}.jpg", c), BOX_MM) for n, c in enumerate(COLOURS)]
    assert prepare_all(requests, tmp_path / "cache", jobs=1) == 0
    assert not (tmp_path / "cache").exists()


def test_prepare_all_skips_a_damaged_photo_for_the_output_to_report(tmp_path):
    good = [photo(tmp_path / f"p{n}.jpg", c) for n, c in enumerate(COLOURS[:2])]
    damaged = tmp_path / "cut.jpg"
    data = good[0].read_bytes()
    damaged.write_bytes(data[: len(data) // 3])
    cache = tmp_path / "cache"
    requests = [PhotoRequest(p, BOX_MM) for p in (*good, damaged)]
    assert prepare_all(requests, cache, JOBS) == len(good)
    with pytest.raises(images.UnreadableImage):
        prepare(damaged, BOX_MM, cache_dir=cache)


def test_is_cached_tells_a_different_box_focus_or_greyscale_apart(tmp_path):
    source = photo(tmp_path / "p.jpg", COLOURS[0])
    cache = tmp_path / "cache"
    prepare(source, BOX_MM, cache_dir=cache)
    assert is_cached(PhotoRequest(source, BOX_MM), cache)
    assert not is_cached(PhotoRequest(source, (BOX_MM[0], BOX_MM[1] + 1)), cache)
    assert not is_cached(PhotoRequest(source, BOX_MM, focus=(0.2, 0.5)), cache)
    assert not is_cached(PhotoRequest(source, BOX_MM, greyscale=True), cache)


@pytest.mark.parametrize("kind", ["photo-debate", "image-starters"])
def test_the_photos_a_deck_asks_for_ahead_are_the_ones_it_draws(make_kit, kind, monkeypatch):
    cards = "".join(f"  - title: Carte {n}\n    image: images/p{n}.jpg\n    focus: [0.{n + 2}, 0.5]\n"
                    for n in range(len(COLOURS)))
    root = make_kit({"content/decks/photos.yaml": deck(kind, cards)})
    for n, colour in enumerate(COLOURS):
        photo(root / "images" / f"p{n}.jpg", colour)
    content = load_kit(root)
    outputs = outputs_of(content)
    context = RenderContext(theme=Theme.from_config(content.config), kit_root=root.resolve(),
                            cache_dir=root / "output" / ".cache")
    # Home and shop editions draw the same photos: each is prepared once.
    assert prepare_images(outputs, content, context, JOBS) == len(COLOURS)
    refuse_decoding(monkeypatch)
    images._DIGESTS.clear()
    for output in outputs:
        GENERATORS[output.kind].render(output, content, context)


def test_a_build_prepares_photos_ahead_and_still_reports_a_damaged_one_at_its_card(make_kit):
    cards = "".join(f"  - title: Carte {n}\n    image: images/p{n}.jpg\n" for n in range(3))
    root = make_kit({"content/decks/photos.yaml": deck("photo-debate", cards)})
    for n, colour in enumerate(COLOURS[:3]):
        photo(root / "images" / f"p{n}.jpg", colour)
    summary = build(root, jobs=JOBS)
    assert "decks/photos.pdf" in summary.files
    assert len(list((root / "output" / ".cache" / images.CACHE_SUBDIR).glob("*.jpg"))) == 3

    # A photo that passes `kit check` (its header is whole) but is cut short further in.
    big = Image.effect_noise((1600, 1200), 60).convert("RGB")
    big.save(root / "images" / "p1.jpg", "JPEG")
    data = (root / "images" / "p1.jpg").read_bytes()
    (root / "images" / "p1.jpg").write_bytes(data[: len(data) // 2])
    with pytest.raises(ContentError) as raised:
        build(root, jobs=JOBS)
    assert [p.field for p in raised.value.problems] == ["cards[1].image"]


def test_a_photo_the_build_has_hashed_is_not_read_again_to_find_its_prepared_file(tmp_path, monkeypatch):
    """The build digests every kit file once (kit.digests.FileDigests); preparing a photo reuses
    that digest for its cache key instead of reading and hashing the photo again."""
    from kit.digests import FileDigests

    monkeypatch.setattr(images, "_DIGESTS", {})
    source = photo(tmp_path / "kit/images/a.jpg", COLOURS[0])
    files = FileDigests()
    digest = files(source)
    assert images.source_digest(source) == (digest, source.read_bytes())  # unknown: read and hashed
    monkeypatch.setattr(images, "_DIGESTS", {})
    images.remember_digests(files.known)
    assert images.source_digest(source) == (digest, None)
    source.write_bytes(source.read_bytes() + b"\0")  # another version: hashed again
    assert images.source_digest(source)[1] is not None
