"""Turn content/worksheets/*.yaml into Worksheet objects: service sheets, capture sheets, posters, boards.

Each file names its `kind:` and gives the content of that sheet:

- `fiche-service`: the sheet pairs fill in for each service they imagine (name, for whom, the
  need it answers, how it works, typology, organisation, model, partners); `services:` adds
  filled-in examples printed beside the blank template.
- `besoins-solutions`: the capture sheet of the pooling, with the post-it legend of the seed
  (needs on blue and yellow notes, service leads on orange; each colour has one meaning) and a
  zone for each.
- `theme-posters`: one wall poster per clustering theme, with a title and a pictogram. With
  `deck:` the themes are the cards of a theme-cards deck (title, line of examples, pictogram,
  colour): one definition for the cards and the posters.
- `debate-board`: the photo-debate board. With `deck:` its axes (order, poles, left pole first as
  on the cards), card size and card list are those of the photo-debate deck it serves.

Printed defaults (zone titles, colour names) come from the kit's language, so a kit may write no
more than `kind:` for the built-in sheets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from kit.content.fields import Fields, did_you_mean, shown
from kit.labels import Labels

SERVICE_SHEET = "fiche-service"
NEEDS_SHEET = "besoins-solutions"
THEME_POSTERS = "theme-posters"
DEBATE_BOARD = "debate-board"
SHEET_KINDS = {
    "fiche-service": SERVICE_SHEET, "fiche service": SERVICE_SHEET, "service": SERVICE_SHEET,
    "besoins-solutions": NEEDS_SHEET, "besoins / solutions": NEEDS_SHEET, "needs-solutions": NEEDS_SHEET,
    "theme-posters": THEME_POSTERS, "affiches-themes": THEME_POSTERS, "posters": THEME_POSTERS,
    "debate-board": DEBATE_BOARD, "plateau-debat": DEBATE_BOARD, "photos-debat": DEBATE_BOARD,
}
# The sheet each kind prints on unless `paper:` says otherwise: posters and boards are for the
# wall and the table, so A3; the service sheet follows the kit's paper.
DEFAULT_PAPER = {NEEDS_SHEET: "A3", THEME_POSTERS: "A3", DEBATE_BOARD: "A3"}
PAPERS = {"a4": "A4", "a3": "A3", "letter": "letter"}

# The fields of a service sheet, in printed order (YAML key = label key suffix).
SERVICE_FIELDS = ("name", "for_whom", "need", "how", "typology", "organisation", "model", "partners")

# The post-it colours of the seed, as close as print gets to the pads (colours printed as set).
POST_IT_COLOURS = {"blue": "#7cc4ea", "yellow": "#ffe45c", "orange": "#ffa03a"}
DEFAULT_ZONES = (("needs", ("blue", "yellow")), ("solutions", ("orange",)))
COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")

DEFAULT_CARD = "poker"
AXES_COUNT = (1, 3)  # a board draws two axes as a cross and any further axis as a track
BOARD_DECK_KIND = "photo-debate"
POSTER_DECK_KIND = "themes"


@dataclass(frozen=True)
class Worksheet:
    """What every sheet has: its id, kind, title, paper and an optional instruction text."""

    id: str
    kind: str
    title: str
    file: str
    line: int = 1
    paper: str = "A4"
    instructions: str | None = None


@dataclass(frozen=True)
class Service:
    """A service imagined by a pair, as written on a filled-in service sheet."""

    name: str
    line: int = 0
    for_whom: str | None = None
    need: str | None = None
    how: str | None = None
    typology: str | None = None
    organisation: str | None = None
    model: str | None = None
    partners: str | None = None
    by: str | None = None  # who imagined it ("binôme 3")

    def value(self, key: str) -> str | None:
        return getattr(self, key)


@dataclass(frozen=True)
class ServiceSheet(Worksheet):
    services: tuple[Service, ...] = ()
    two_up: bool = True  # also print the blank sheet two to a page (A5 on A4)


@dataclass(frozen=True)
class NoteColour:
    """A post-it colour of the legend: the word printed under its swatch and the colour."""

    name: str
    colour: str
    meaning: str | None = None  # when to use this colour, stated once in each sheet's legend


@dataclass(frozen=True)
class Zone:
    """A zone of the capture sheet (or of a poster): what goes there and on which notes."""

    title: str
    prompt: str | None
    notes: tuple[NoteColour, ...]


@dataclass(frozen=True)
class NeedsSheet(Worksheet):
    zones: tuple[Zone, ...] = ()
    header: tuple[str, ...] = ()  # the blanks to fill in at the top (binôme, site, person met)


@dataclass(frozen=True)
class PosterTheme:
    """One clustering theme: its title, its pictogram (a kit image) and an optional hint line."""

    title: str
    pictogram: Path | None
    source: str | None  # the pictogram path as written, for messages
    line: int = 0
    hint: str | None = None
    colour: str | None = None   # a theme role ("primary") or "#rrggbb"; none: the kit's primary
    file: str | None = None     # where the theme is written (the deck file when it comes from a deck)


@dataclass(frozen=True)
class ThemePosters(Worksheet):
    themes: tuple[PosterTheme, ...] = ()
    zones: tuple[Zone, ...] = ()  # empty: a plain poster with no room marked for the notes
    deck: str | None = None       # the theme-cards deck the themes come from
    deck_file: str | None = None


@dataclass(frozen=True)
class Axis:
    """A tension axis: its first pole (left on the cards and the board, top when the axis stands
    upright) and the opposite pole."""

    pole: str
    opposite: str
    line: int = 0


@dataclass(frozen=True)
class DebateBoard(Worksheet):
    axes: tuple[Axis, ...] = ()
    card_mm: tuple[float, float] = (63.0, 88.0)
    deck: str | None = None          # the photo-debate deck the board serves
    deck_title: str | None = None
    deck_file: str | None = None
    deck_colour: str | None = None   # the deck's colour: the board's axes are drawn in it
    cards: tuple[str, ...] = ()      # the deck's card titles, one per printed card

    @property
    def card_count(self) -> int:
        return len(self.cards)


def load_worksheet(doc: Fields, ident: str, config, decks: dict | None = None,
                   broken_decks: set[str] | frozenset[str] = frozenset()) -> Worksheet | None:
    labels = Labels(config.language)
    decks = decks or {}
    kind = doc.choice("kind", SHEET_KINDS, required=True)
    if kind is None:
        _ask_everything(doc)
        return None
    common = dict(
        id=ident,
        kind=kind,
        title=doc.text("title", default=labels(f"sheet.title.{kind}")),
        file=doc.file,
        paper=doc.choice("paper", PAPERS, default=DEFAULT_PAPER.get(kind, config.paper)),
        instructions=doc.text("instructions"),
    )
    if kind == SERVICE_SHEET:
        sheet: Worksheet = ServiceSheet(**common, services=_services(doc), two_up=doc.boolean("two_up", default=True))
    elif kind == NEEDS_SHEET:
        colours = _colours(doc, labels)
        header = doc.texts("header") if doc.has("header") else [labels(f"sheet.header.{k}") for k in ("pair", "site", "met")]
        sheet = NeedsSheet(**common, zones=_zones(doc, colours, labels), header=tuple(header))
    elif kind == THEME_POSTERS:
        zones = _zones(doc, _colours(doc, labels), labels, optional=True)
        deck = _deck(doc, decks, broken_decks, POSTER_DECK_KIND, instead=("themes",))
        if deck is not None:
            themes = _themes_of_deck(deck, config)
        elif doc.has("deck"):
            themes = ()  # the deck's own error says it all
        else:
            themes = _themes(doc, config)
        sheet = ThemePosters(**common, themes=themes, zones=zones, deck=deck.id if deck else None,
                             deck_file=deck.file if deck else None)
    else:
        deck = _deck(doc, decks, broken_decks, BOARD_DECK_KIND, instead=("axes", "card"))
        if deck is not None:
            sheet = DebateBoard(**common, axes=tuple(Axis(a.left, a.right, doc.key_line("deck")) for a in deck.axes),
                                card_mm=tuple(deck.size_mm), deck=deck.id, deck_title=deck.title,
                                deck_file=deck.file, deck_colour=deck.colour,
                                cards=tuple(card.title for card in deck.cards for _ in range(card.count)))
        elif doc.has("deck"):
            sheet = DebateBoard(**common)
        else:
            sheet = DebateBoard(**common, axes=_axes(doc), card_mm=_card(doc))
    doc.done()
    return sheet


def _ask_everything(doc: Fields) -> None:
    """With no valid kind, the other keys cannot be judged: mark them asked so only the kind is reported."""
    for key in doc.data:
        doc.asked.add(str(key))


def _deck(doc: Fields, decks: dict, broken: set[str] | frozenset[str], kind: str, instead: tuple[str, ...]):
    """The deck a sheet serves (`deck:`), of the expected kind; what it gives may not be written again."""
    if not doc.has("deck"):
        return None
    ident = doc.text("deck", required=True)
    written = [key for key in instead if doc.has(key)]
    for key in written:
        doc.asked.add(key)
        doc.error(key, f"expected no `{key}` beside `deck: {ident}` (the sheet takes it from the deck: "
                       f"write it once, there), got both")
    if ident is None or ident in broken:
        return None
    deck = decks.get(ident)
    if deck is None:
        known = ", ".join(sorted(decks)) or "none yet"
        doc.error("deck", f'expected a deck of content/decks/ ({known}), got "{ident}"{did_you_mean(ident, decks)}')
        return None
    if deck.kind != kind:
        doc.error("deck", f'expected a {kind} deck, got "{ident}", a {deck.kind} deck')
        return None
    return deck


def _themes_of_deck(deck, config) -> tuple[PosterTheme, ...]:
    """A poster per theme card: its title, text (the line of examples), pictogram and colour."""
    from kit.images import locate

    themes = []
    for card in deck.cards:
        path = locate(config, card.image)[0] if card.image else None  # the deck reports a missing image
        themes.append(PosterTheme(title=card.title, pictogram=path, source=card.image, line=card.place("title").line,
                                  hint=card.text, colour=deck.card_colour(card), file=card.place("title").file))
    return tuple(themes)


def _services(doc: Fields) -> tuple[Service, ...]:
    services = []
    for entry in doc.records("services"):
        values = {key: entry.text(key) for key in SERVICE_FIELDS[1:]}
        services.append(Service(name=entry.text("name", required=True, default="?"), line=entry.line,
                                by=entry.text("by"), **values))
        entry.done()
    return tuple(services)


def _colours(doc: Fields, labels: Labels) -> dict[str, NoteColour]:
    """The post-it colours by key: the seed's three, renamed or recoloured or added to by `notes:`."""
    colours = {key: NoteColour(labels(f"sheet.colour.{key}"), hex_, labels(f"sheet.meaning.{key}"))
               for key, hex_ in POST_IT_COLOURS.items()}
    entries = doc.mapping("notes")
    if entries is None:
        return colours
    for key in list(entries.data):
        value = entries.raw(str(key))
        if isinstance(value, str) and COLOUR_RE.match(value.strip()):
            old = colours.get(str(key))
            colours[str(key)] = NoteColour(old.name if old else str(key), value.strip().lower(),
                                           old.meaning if old else None)
        elif isinstance(value, CommentedMap):
            entry = entries.mapping(str(key))
            colour = entry.text("colour", required=True) or ""
            if colour and not COLOUR_RE.match(colour):
                entry.error("colour", f'expected a colour like "#ffa03a", got "{colour}"')
            old = colours.get(str(key))
            colours[str(key)] = NoteColour(entry.text("name", default=old.name if old else str(key)),
                                           colour.lower() if COLOUR_RE.match(colour) else (old.colour if old else "#ffffff"),
                                           entry.text("meaning", default=old.meaning if old else None))
            entry.done()
        else:
            entries.error(str(key), f'expected a colour like "#ffa03a" or a mapping (name, colour), got {shown(value)}')
    return colours


def _zones(doc: Fields, colours: dict[str, NoteColour], labels: Labels, optional: bool = False) -> tuple[Zone, ...]:
    """`zones:` as written; absent (or `true`) gives the seed's two zones; `false` none, where allowed."""
    value = doc.data.get("zones") if doc.has("zones") else None
    if value is False and optional:
        return ()
    if value is None or value is True:
        return tuple(Zone(labels(f"sheet.{key}"), labels(f"sheet.{key}.prompt"),
                          tuple(colours[c] for c in notes)) for key, notes in DEFAULT_ZONES)
    zones = []
    for entry in doc.records("zones", required=True):
        notes = []
        for index, item, line, path in entry.items("notes", required=True):
            if isinstance(item, str) and item.strip() in colours:
                notes.append(colours[item.strip()])
            else:
                known = ", ".join(colours)
                entry.problems.error(entry.file, line, path, f"expected a post-it colour ({known}), got {shown(item)}"
                                                             f"{did_you_mean(item, colours)}")
        zones.append(Zone(entry.text("title", required=True, default="?"), entry.text("prompt"), tuple(notes)))
        entry.done()
    return tuple(zones)


def _themes(doc: Fields, config) -> tuple[PosterTheme, ...]:
    from kit.images import locate

    themes = []
    for entry in doc.records("themes", required=True):
        source = entry.text("pictogram")
        path = None
        if source is not None:
            path, problem = locate(config, source)
            if problem:
                entry.error("pictogram", problem)
        colour = entry.text("colour")
        if colour is not None and not COLOUR_RE.match(colour):
            entry.error("colour", f'expected a colour like "#e8743b", got "{colour}"')
            colour = None
        themes.append(PosterTheme(title=entry.text("title", required=True, default="?"), pictogram=path,
                                  source=source, line=entry.line, hint=entry.text("hint"),
                                  colour=colour.lower() if colour else None, file=doc.file))
        entry.done()
    return tuple(themes)


def _axes(doc: Fields) -> tuple[Axis, ...]:
    axes = []
    low, high = AXES_COUNT
    for index, item, line, path in doc.items("axes", required=True):
        if isinstance(item, CommentedSeq) and len(item) == 2 and all(isinstance(v, str) and v.strip() for v in item):
            doc.check_glyphs("axes", " ".join(item), line, path)
            axes.append(Axis(item[0].strip(), item[1].strip(), line))
        else:
            doc.problems.error(doc.file, line, path,
                               f"expected two poles ([éthique, pas éthique]), got {shown(item)}")
    if axes and not low <= len(axes) <= high:
        doc.error("axes", f"expected {low} to {high} axes, got {len(axes)}")
    return tuple(axes)


def _card(doc: Fields) -> tuple[float, float]:
    from kit.imposition import CARD_SIZES_MM, card_size_mm

    value = doc.raw("card")
    if value is None or not doc.has("card") or doc.data.get("card") is None:
        return card_size_mm(DEFAULT_CARD)
    spec = list(value) if isinstance(value, CommentedSeq) else value
    size = card_size_mm(spec) if isinstance(spec, (str, list)) else None
    if size is None:
        doc.error("card", f'expected a card size ("poker", "tarot", "70x120"), got {shown(value)}'
                          f"{did_you_mean(value, CARD_SIZES_MM)}")
        return card_size_mm(DEFAULT_CARD)
    return size
