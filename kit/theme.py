"""Turn a kit's config into the Theme both renderers share: fonts, colours, paper sizes."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from kit.colours import to_grey
from kit.project import KitConfig

FONT_DIR = Path(__file__).parent / "fonts"
MM = 72 / 25.4  # PostScript points per millimetre

# Paper sizes in millimetres, portrait.
PAPER_MM = {"A4": (210.0, 297.0), "letter": (215.9, 279.4), "A3": (297.0, 420.0), "A5": (148.0, 210.0), "A6": (105.0, 148.0)}

# The one family every output uses; the faces by (weight, italic).
FONT_FAMILY = "Inter"
FONT_FACES = {
    ("regular", False): "Inter-Regular.ttf",
    ("regular", True): "Inter-Italic.ttf",
    ("semibold", False): "Inter-SemiBold.ttf",
    ("bold", False): "Inter-Bold.ttf",
    ("bold", True): "Inter-BoldItalic.ttf",
}
# reportlab names for the faces; the family maps <b>/<i> in paragraphs to them.
RL_FONTS = {
    "regular": "Inter",
    "italic": "Inter-Italic",
    "semibold": "Inter-SemiBold",
    "bold": "Inter-Bold",
    "bolditalic": "Inter-BoldItalic",
}
CSS_WEIGHTS = {"regular": 400, "semibold": 600, "bold": 700}


@cache
def register_reportlab_fonts() -> dict[str, str]:
    """Register Inter with reportlab once per process (TTF, embedded and subset in every PDF)."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    files = {
        "regular": "Inter-Regular.ttf",
        "italic": "Inter-Italic.ttf",
        "semibold": "Inter-SemiBold.ttf",
        "bold": "Inter-Bold.ttf",
        "bolditalic": "Inter-BoldItalic.ttf",
    }
    for role, name in RL_FONTS.items():
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / files[role])))
    addMapping("Inter", 0, 0, RL_FONTS["regular"])
    addMapping("Inter", 0, 1, RL_FONTS["italic"])
    addMapping("Inter", 1, 0, RL_FONTS["bold"])
    addMapping("Inter", 1, 1, RL_FONTS["bolditalic"])
    return dict(RL_FONTS)


def font_face_css() -> str:
    """@font-face rules pointing weasyprint at the packaged Inter files."""
    rules = []
    for (weight, italic), name in FONT_FACES.items():
        rules.append(
            "@font-face { font-family: '%s'; src: url('%s'); font-weight: %d; font-style: %s; }"
            % (FONT_FAMILY, (FONT_DIR / name).as_uri(), CSS_WEIGHTS[weight], "italic" if italic else "normal")
        )
    return "\n".join(rules)


@dataclass(frozen=True)
class Theme:
    """Fonts, colours and paper for one build; greyscale already applied to the colours."""

    colours: dict[str, str]
    paper: str
    language: str
    greyscale: bool = False
    clock: str = ""  # "24h" or "12h"; "" for the language's own

    @classmethod
    def from_config(cls, config: KitConfig, greyscale: bool | None = None) -> Theme:
        grey = config.printing.greyscale if greyscale is None else greyscale
        colours = {k: (to_grey(v) if grey else v) for k, v in config.colours.items()}
        return cls(colours=colours, paper=config.paper, language=config.language, greyscale=grey, clock=config.clock)

    @property
    def labels(self):
        """The kit's printed words, dates and clock (kit.labels.Labels)."""
        from kit.labels import Labels

        return Labels(self.language, self.clock or None)

    def colour(self, role: str) -> str:
        return self.colours[role]

    @property
    def paper_mm(self) -> tuple[float, float]:
        return PAPER_MM[self.paper]

    @property
    def paper_pt(self) -> tuple[float, float]:
        w, h = self.paper_mm
        return w * MM, h * MM

    def css_variables(self) -> str:
        return ":root { %s }" % " ".join(f"--{k}: {v};" for k, v in self.colours.items())
