"""Shared fixtures: the default kit, throwaway kits written from strings, PDFs read back."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest
from pypdf import PdfReader

REPO = Path(__file__).resolve().parent.parent
FONT_DIR = REPO / "kit" / "fonts"

MINIMAL_CONFIG = """\
title: Kit d'essai
organisation: La Transfo
language: fr
paper: A4
version: "2.3"
date: 2019-05-20
"""


@pytest.fixture
def default_kit(tmp_path: Path) -> Path:
    """A copy of the repository's default kit (kit.yaml, content/, images/) in a temporary folder."""
    root = tmp_path / "kit"
    root.mkdir()
    shutil.copy(REPO / "kit.yaml", root / "kit.yaml")
    shutil.copytree(REPO / "content", root / "content")
    shutil.copytree(REPO / "images", root / "images")
    return root


@pytest.fixture
def make_kit(tmp_path: Path):
    """Write a kit from {relative path: text}; kit.yaml defaults to a minimal French config."""

    def make(files: dict[str, str | bytes], config: str = MINIMAL_CONFIG, name: str = "kit") -> Path:
        root = tmp_path / name
        root.mkdir(parents=True, exist_ok=True)
        (root / "kit.yaml").write_text(textwrap.dedent(config), encoding="utf-8")
        for relative, text in files.items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                path.write_bytes(text)
            else:
                path.write_text(textwrap.dedent(text), encoding="utf-8")
        return root

    return make


def pdf_text(path: Path) -> str:
    """All the text of a PDF, pages joined, with no-break spaces turned into plain spaces."""
    reader = PdfReader(str(path))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def pdf_pages(path: Path) -> list[str]:
    reader = PdfReader(str(path))
    return [(page.extract_text() or "").replace("\u202f", " ").replace("\u00a0", " ") for page in reader.pages]
