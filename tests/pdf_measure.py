"""Measurements read back from a PDF's page objects (pypdfium2): type sizes as printed, drawn lines."""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c


@dataclass(frozen=True)
class Run:
    """A text object: its text, its size as printed (font size × the matrix's vertical scale), its box."""

    text: str
    size: float
    box: tuple[float, float, float, float]   # left, bottom, right, top in points


@dataclass(frozen=True)
class Stroke:
    """A path object's bounds (a rule, a box, a mark)."""

    left: float
    bottom: float
    right: float
    top: float

    @property
    def horizontal(self) -> bool:
        return self.top - self.bottom < 1.5 and self.right - self.left > 10


def text_runs(pdf: Path | str, page_index: int) -> list[Run]:
    document = pdfium.PdfDocument(str(pdf))
    try:
        page = document[page_index]
        textpage = page.get_textpage()
        runs = []
        for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_TEXT,), max_depth=8):
            size = ctypes.c_float()
            pdfium_c.FPDFTextObj_GetFontSize(obj.raw, size)
            m = obj.get_matrix()
            scale = (m.b ** 2 + m.d ** 2) ** 0.5
            length = pdfium_c.FPDFTextObj_GetText(obj.raw, textpage.raw, None, 0)  # bytes, with the final NUL
            buffer = (ctypes.c_ushort * max(1, length // 2))()
            pdfium_c.FPDFTextObj_GetText(obj.raw, textpage.raw, buffer, length)
            text = bytes(buffer)[:max(0, length - 2)].decode("utf-16-le", errors="replace")
            runs.append(Run(text, round(size.value * scale, 2), tuple(obj.get_bounds())))
        return runs
    finally:
        document.close()


def min_type_size(pdf: Path | str) -> tuple[float, str]:
    """The smallest printed type size of a PDF, with a text set at that size."""
    document = pdfium.PdfDocument(str(pdf))
    pages = len(document)
    document.close()
    smallest = (1000.0, "")
    for index in range(pages):
        for run in text_runs(pdf, index):
            if run.text.strip() and run.size < smallest[0]:
                smallest = (run.size, f"page {index + 1}: {run.text!r}")
    return smallest


def strokes(pdf: Path | str, page_index: int) -> list[Stroke]:
    document = pdfium.PdfDocument(str(pdf))
    try:
        page = document[page_index]
        return [Stroke(*obj.get_bounds())
                for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_PATH,), max_depth=8)]
    finally:
        document.close()
