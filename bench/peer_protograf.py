"""Turn a folder of photos into protograf's version of the bench's photo-debate deck: one PDF.

    python bench/peer_protograf.py PHOTOS_DIR OUT.pdf [--whole-photos]

The peer side of bench/peer.py, run there as a whole process like `kit build`. It draws what
kit draws for the deck bench/photo_deck.py writes, as far as protograf's shapes allow:

- front: the photo over the top half of the card, centre-cropped to that panel's shape
  (protograf's `sliced="c"`: Pillow crops the full-size photo and saves it at its default JPEG
  quality, which protograf embeds as is), the card's title, its text wrapped in a box, and the
  deck's two axes (both end labels and a line; no ticks);
  with --whole-photos, the photo file itself is placed, scaled to fit the panel (protograf
  keeps its proportions), and embedded untouched: protograf's plainest way to show a photo;
- back: the deck colour over the whole card, a white rounded frame, the deck's title in the
  middle and the kit's title low (protograf puts backs on their own page, mirrored for duplex).

Poker cards 63×88 mm, 9-up on A4 with protograf's default 10 mm margins; Helvetica (a PDF base
font, nothing to embed) where kit embeds Inter.
"""

from __future__ import annotations

import sys
from pathlib import Path

from protograf import Card, CardBack, Create, Deck, Save, line, rectangle, text
from protograf import image as photo

# What the deck file of bench/photo_deck.py says, and kit's poker size; written out here so this
# stays a plain protograf script.
CARD_MM = (63, 88)
PANEL_MM = 44                         # kit's debate layout gives the photo about the top half
SAFE_MM = 4
COLOUR = "#2e7d9a"
AXES = [("éthique", "pas éthique"), ("innovant", "pas innovant")]
CARD_TEXT = "Un service photographié sur le site, à placer sur les axes avec un feutre."


def front(number: int, source: Path, crop: bool) -> list:
    inner = CARD_MM[0] - 2 * SAFE_MM
    elements = [
        photo(str(source), x=0, y=0, width=CARD_MM[0], height=PANEL_MM, sliced="c" if crop else None),
        text(text=f"Photo {number}", x=SAFE_MM, y=PANEL_MM + 3, width=inner, height=6, wrap=True,
             font_name="Helvetica-Bold", font_size=9, stroke="black", align="left"),
        text(text=CARD_TEXT, x=SAFE_MM, y=PANEL_MM + 9, width=inner, height=9, wrap=True,
             font_size=6, stroke="black", align="left"),
    ]
    for index, (left, right) in enumerate(AXES):
        top = PANEL_MM + 21 + index * 10
        elements += [
            text(text=left, x=SAFE_MM, y=top, width=inner, height=4, wrap=True, font_size=5, stroke="black",
                 align="left"),
            text(text=right, x=SAFE_MM, y=top, width=inner, height=4, wrap=True, font_size=5, stroke="black",
                 align="right"),
            line(x=SAFE_MM, y=top + 5, x1=SAFE_MM + inner, y1=top + 5, stroke=COLOUR, stroke_width=0.6),
        ]
    return elements


def back() -> list:
    return [
        rectangle(x=0, y=0, width=CARD_MM[0], height=CARD_MM[1], fill=COLOUR, stroke=COLOUR),
        rectangle(x=3, y=3, width=CARD_MM[0] - 6, height=CARD_MM[1] - 6, rounding=3, fill=None,
                  stroke="white", stroke_width=0.8),
        text(text="Photos débat", x=SAFE_MM, y=33, width=CARD_MM[0] - 2 * SAFE_MM, height=8, wrap=True,
             font_name="Helvetica-Bold", font_size=11, stroke="white", align="centre"),
        text(text="Banc d'essai photos", x=SAFE_MM, y=78, width=CARD_MM[0] - 2 * SAFE_MM, height=4, wrap=True,
             font_size=4, stroke="white", align="centre"),
    ]


def main(photos_dir: str, pdf: str, *flags: str) -> None:
    photos = sorted(Path(photos_dir).resolve().glob("*.jpg"))
    out = Path(pdf).resolve()
    sys.argv[1:] = []  # Create() parses the command line itself and knows none of our arguments
    Create(filename=out.name, paper="A4", units="mm")
    Deck(cards=len(photos), width=CARD_MM[0], height=CARD_MM[1], stroke=None)
    for number, source in enumerate(photos, start=1):
        Card(number, *front(number, source, crop="--whole-photos" not in flags))
    CardBack("all", *back())
    Save(directory=str(out.parent))


if __name__ == "__main__":
    main(*sys.argv[1:])
