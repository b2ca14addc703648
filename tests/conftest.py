"""Shared fixtures: the frozen fixture kit, the shipped kit, throwaway kits written from strings, PDFs read back."""

from __future__ import annotations

import os
import shutil
import textwrap
from pathlib import Path

import pytest
from PIL import Image, ImageChops
from pypdf import PdfReader

REPO = Path(__file__).resolve().parent.parent
# Every `kit` the tests start runs in its own process: no warm process is left behind by the
# suite (kit.warm); tests/test_warm.py turns it on for its own commands and stops what it starts.
os.environ["KIT_WARM"] = "0"
GOLDEN = Path(__file__).parent / "golden"
# A pixel "differs" past this grey level of difference; a render may differ in this share of
# its pixels (anti-aliasing, font hinting) and still match.
GOLDEN_PIXEL_THRESHOLD = 48
GOLDEN_TOLERANCE = 0.005
FONT_DIR = REPO / "kit" / "fonts"
# The shipped default kit, inside the package (the `comptoir` template of kit new).
DEFAULT_KIT = REPO / "kit" / "starter_kits" / "comptoir"
# A frozen copy of the default kit as it was when the goldens were made: the golden tests and the
# tests asserting particular content run on it, never on the shipped kit (see its README.md).
FIXTURE_KIT = Path(__file__).parent / "fixtures" / "comptoir"

# One small session: two blocks on one day (the CLI, build and warm-process tests build it).
SMALL_SESSION = """\
title: Session d'essai
days:
  - date: 2019-05-23
    start: "9:00"
    blocks:
      - {title: Accueil, duration: 30}
      - {title: Atelier, duration: 1h30, notes: "Préparer la salle"}
"""

MINIMAL_CONFIG = """\
title: Kit d'essai
organisation: La Transfo
language: fr
paper: A4
version: "2.3"
date: 2019-05-20
"""


def copy_kit(source: Path, root: Path) -> Path:
    """Copy a kit's kit.yaml, content/ and images/ from `source` into `root` (made if missing)."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(source / "kit.yaml", root / "kit.yaml")
    shutil.copytree(source / "content", root / "content")
    shutil.copytree(source / "images", root / "images")
    return root


def copy_fixture_kit(root: Path) -> Path:
    """A copy of the frozen fixture kit (tests/fixtures/comptoir) at `root`, for module-scoped fixtures."""
    return copy_kit(FIXTURE_KIT, root)


@pytest.fixture
def fixture_kit(tmp_path: Path) -> Path:
    """A copy of the frozen fixture kit (tests/fixtures/comptoir) in a temporary folder.

    Tests of kit's behaviour that need a full kit, and every golden test, use this one: it never
    changes, so improving the shipped default kit cannot break them.
    """
    return copy_kit(FIXTURE_KIT, tmp_path / "kit")


@pytest.fixture
def default_kit(tmp_path: Path) -> Path:
    """A copy of the shipped default kit (kit/starter_kits/comptoir) in a temporary folder.

    Only for tests about the shipped kit itself (test_default_kit.py) and the docs check (test_docs.py).
    """
    return copy_kit(DEFAULT_KIT, tmp_path / "kit")


def write_kit(root: Path, files: dict[str, str | bytes], config: str = MINIMAL_CONFIG, as_is: bool = False) -> Path:
    """Write a kit at `root` from {relative path: text (dedented) or bytes} and its kit.yaml;
    `as_is`: generated text, written undedented and with any lone surrogate kept."""
    shape = (lambda text: text) if as_is else textwrap.dedent
    errors = "surrogatepass" if as_is else "strict"
    root.mkdir(parents=True, exist_ok=True)
    (root / "kit.yaml").write_text(shape(config), encoding="utf-8")
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(shape(text), encoding="utf-8", errors=errors)
    return root


@pytest.fixture
def make_kit(tmp_path: Path):
    """Write a kit from {relative path: text}; kit.yaml defaults to a minimal French config."""

    def make(files: dict[str, str | bytes], config: str = MINIMAL_CONFIG, name: str = "kit") -> Path:
        return write_kit(tmp_path / name, files, config)

    return make


def pdf_text(path: Path) -> str:
    """All the text of a PDF, pages joined, with no-break spaces turned into plain spaces."""
    reader = PdfReader(str(path))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def pdf_pages(path: Path) -> list[str]:
    reader = PdfReader(str(path))
    return [(page.extract_text() or "").replace("\u202f", " ").replace("\u00a0", " ") for page in reader.pages]


def compare_golden(actual: Image.Image, name: str) -> None:
    """Compare a render with tests/golden/<name>; `make golden` (KIT_REGENERATE_GOLDEN=1) rewrites it."""
    path = GOLDEN / name
    if os.environ.get("KIT_REGENERATE_GOLDEN") == "1" or not path.exists():
        GOLDEN.mkdir(exist_ok=True)
        actual.save(path, optimize=True)
        if os.environ.get("KIT_REGENERATE_GOLDEN") != "1":
            pytest.fail(f"{path} did not exist; written now, check it and run again")
    expected = Image.open(path).convert("RGB")
    assert expected.size == actual.size
    difference = ImageChops.difference(expected, actual.convert("RGB")).convert("L")
    changed = sum(difference.point(lambda v: 255 if v > GOLDEN_PIXEL_THRESHOLD else 0).histogram()[255:])
    assert changed <= GOLDEN_TOLERANCE * actual.width * actual.height, f"{changed} pixels differ from {path}"


def render_page(pdf: Path | bytes, index: int = 0, dpi: int = 40) -> Image.Image:
    """One page of a PDF as an RGB image (pypdfium2), for the look tests."""
    import pypdfium2 as pdfium

    data = pdf.read_bytes() if isinstance(pdf, Path) else pdf
    return pdfium.PdfDocument(data)[index].render(scale=dpi / 72).to_pil().convert("RGB")


def outputs_of(content, only=None, session=None):
    """The outputs the engine would build: the whole plan of the registry, then the selection."""
    from kit.generators import GENERATORS
    from kit.plan import plan, select

    return select(plan(content, GENERATORS), content, only, session)


def is_page_stamp(htmls: list[str]) -> bool:
    """Whether a layout kit.documents did was a page stamp's (kit.stamps.stamp_html's empty pages)."""
    return htmls[0].endswith("</div></body></html>")
