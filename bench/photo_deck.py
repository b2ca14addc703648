"""Turn seeds into photo-like JPEGs, and photos into a kit of one photo-debate deck: what the deck benchmarks build.

bench/decks.py times kit on it against bare libraries, bench/peer.py against protograf.
"""

from __future__ import annotations

import os
import random
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter

CARDS = 54
DECK_FILE = "content/decks/photos.yaml"
HOME_PDF = "decks/photos.pdf"
PHOTO_PIXELS = (3000, 2000)
SOURCE_QUALITY = 90          # what a phone or camera saves: 2–3 MB for 6 megapixels
SKETCH_SCALE = 8             # shapes and light are drawn at 1/8 and blown up: smooth like real light
SHAPES = 40
GRAIN_SIGMA = 20             # sensor grain, the detail that makes a JPEG weigh what a photo weighs
ALL_CORES = os.cpu_count() or 1

KIT_YAML = """\
title: Banc d'essai photos
organisation: La Transfo
language: fr
paper: A4
version: "1.0"
date: 2019-05-20
print:
  duplex: long
"""
DECK_HEAD = """\
title: Photos débat
kind: photo-debate
size: poker
colour: "#2e7d9a"
axes:
  - [éthique, pas éthique]
  - [innovant, pas innovant]
print: [home]
cards:
"""
CARD_TEXT = "Un service photographié sur le site, à placer sur les axes avec un feutre."


def photo(seed: int) -> Image.Image:
    """A photo-like picture: coloured light, overlapping shapes with soft edges, and grain."""
    rng = random.Random(seed)
    sketch = (PHOTO_PIXELS[0] // SKETCH_SCALE, PHOTO_PIXELS[1] // SKETCH_SCALE)
    bands = []
    for _ in range(3):
        light = Image.linear_gradient("L").rotate(rng.uniform(-40, 40)).resize(sketch)
        gain, base = rng.uniform(0.3, 1.0), rng.randint(0, 120)
        bands.append(light.point(lambda v, g=gain, b=base: min(255, int(b + g * v))))
    image = Image.merge("RGB", bands)
    draw = ImageDraw.Draw(image)
    for _ in range(SHAPES):
        x, y, r = rng.randrange(sketch[0]), rng.randrange(sketch[1]), rng.randint(5, 60)
        colour = tuple(rng.randrange(256) for _ in range(3))
        if rng.random() < 0.5:
            draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
        else:
            draw.polygon([(x + rng.randint(-2 * r, 2 * r), y + rng.randint(-2 * r, 2 * r)) for _ in range(5)],
                         fill=colour)
    image = image.filter(ImageFilter.GaussianBlur(1.5)).resize(PHOTO_PIXELS, Image.Resampling.BICUBIC)
    grain = Image.effect_noise(PHOTO_PIXELS, GRAIN_SIGMA)
    return ImageChops.add(image, Image.merge("RGB", [grain] * 3), scale=1, offset=-128)


def write_photo(job: tuple[Path, int]) -> None:
    path, seed = job
    photo(seed).save(path, "JPEG", quality=SOURCE_QUALITY)


def distinct_copy(source: Path, target: Path, number: int) -> None:
    """A copy of a JPEG with its own bytes (a comment segment): for kit, another photo to prepare.

    Generating 500 photos would take most of the benchmark's time; a copy that differs by a
    comment has another content hash, so kit decodes, resamples, caches and embeds it on its own.
    """
    data = source.read_bytes()
    comment = f"bench copy {number}".encode()
    segment = b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment
    target.write_bytes(data[:2] + segment + data[2:])


def make_photos(folder: Path, distinct: int, total: int) -> list[Path]:
    folder.mkdir(parents=True)
    paths = [folder / f"photo-{n:03d}.jpg" for n in range(total)]
    with ProcessPoolExecutor(ALL_CORES, mp_context=get_context("fork")) as pool:
        list(pool.map(write_photo, [(path, n) for n, path in enumerate(paths[:distinct])]))
    for n in range(distinct, total):
        distinct_copy(paths[n % distinct], paths[n], n)
    return paths


def write_kit(root: Path, photos: list[Path], cards: int) -> Path:
    """A kit folder with one photo-debate deck of `cards` cards, card n showing photo n."""
    (root / "content" / "decks").mkdir(parents=True)
    (root / "images").mkdir()
    (root / "kit.yaml").write_text(KIT_YAML, encoding="utf-8")
    lines = [DECK_HEAD]
    for n, source in enumerate(photos[:cards], start=1):
        if not (root / "images" / source.name).exists():
            os.link(source, root / "images" / source.name)
        lines.append(f"  - title: Photo {n}\n    text: {CARD_TEXT}\n    image: images/{source.name}\n")
    (root / DECK_FILE).write_text("".join(lines), encoding="utf-8")
    return root
