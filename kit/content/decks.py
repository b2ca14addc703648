"""Turn content/decks/*.yaml (and the CSV or XLSX card lists beside them) into Deck objects.

A deck file holds the deck's settings (kind, card size, colour, themes, axes, back, which
print outputs to make) and its cards, either inline or as the name of a spreadsheet next to
the deck file: one row a card, header names = card fields. Mistakes in a spreadsheet name
`file:row:column`, mistakes in YAML `file:line`. Every card is measured against its kind's
layout here, so a text that does not fit is a content error `kit check` reports.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from kit.content.fields import Fields, Problems, did_you_mean, read_text, shown

# Deck kinds, each with its own card layout; the keys are every spelling a user may write.
KINDS = {
    "image-starters": "image-starters", "starters": "image-starters", "images": "image-starters",
    "blank-page": "blank-page", "page-blanche": "blank-page",
    "photo-debate": "photo-debate", "photos-debat": "photo-debate", "photos-débat": "photo-debate",
    "themes": "themes", "thèmes": "themes", "theme-cards": "themes",
}
# Kinds whose cards need an image, and the kind that must not have one.
IMAGE_REQUIRED = {"image-starters", "photo-debate"}
NO_IMAGE = {"blank-page"}
# What a deck can be printed as: home N-up sheets, fold-over sheets, print-shop pages, PNG files.
PRINTS = {
    "home": "home", "maison": "home",
    "fold": "fold", "pliage": "fold",
    "shop": "shop", "imprimeur": "shop",
    "png": "png",
}
DEFAULT_PRINTS = ("home", "fold", "shop")  # every deck prints at home, duplex or folded, and at a shop
DEFAULT_SIZE = "poker"
DEFAULT_COLOUR = "primary"
DEFAULT_PNG_DPI = 150
PNG_DPI_RANGE = (72, 600)
MAX_AXES = 4
MAX_COPIES = 99
# A card larger than A3 is a poster, not a card; a typo of a zero too many would render for minutes.
MAX_CARD_MM = 420
SPREADSHEETS = {".csv", ".xlsx"}

# Spreadsheet headers a resident may write, French or English, for each card field.
CARD_FIELDS = ("title", "text", "image", "focus", "theme", "count", "back")
HEADER_ALIASES = {
    "title": "title", "titre": "title", "nom": "title", "name": "title", "prompt": "title",
    "text": "text", "texte": "text", "description": "text",
    "image": "image", "photo": "image", "pictogramme": "image",
    "focus": "focus", "point focal": "focus",
    "theme": "theme", "thème": "theme", "tag": "theme",
    "count": "count", "copies": "count", "exemplaires": "count", "nombre": "count",
    "back": "back", "dos": "back",
}
_FOCUS_TEXT = re.compile(r"^\s*\[?\s*(-?[\d.]+)\s*[,; ]\s*(-?[\d.]+)\s*\]?\s*$")


@dataclass(frozen=True)
class Place:
    """Where a value was written: a file and a line (or, in a spreadsheet, "file:row" and a column)."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Card:
    """One card: its texts, image and focal point, theme tag, copies and optional back text."""

    title: str
    text: str | None = None
    image: str | None = None          # as written, relative to the kit
    focus: tuple[float, float] = (0.5, 0.5)
    theme: str | None = None
    count: int = 1
    back: str | None = None
    number: int = 0                   # 1-based position in the deck
    # Where each field was written, for errors found after loading (not part of what a card is).
    places: tuple[tuple[str, Place], ...] = field(default=(), compare=False)
    path: str = field(default="", compare=False)  # "cards[3]"

    def place(self, name: str = "") -> Place:
        found = dict(self.places)
        return found.get(name) or found.get("") or Place("", 0)


@dataclass(frozen=True)
class Axis:
    """A tension axis of the photo debate, printed as a scale between its two ends."""

    left: str
    right: str


@dataclass(frozen=True)
class DeckTheme:
    """A theme tag of a deck: the label printed on its cards and their colour."""

    label: str
    colour: str  # a theme role ("primary") or "#rrggbb"


@dataclass(frozen=True)
class Back:
    """The back of every card: colour, title, a small line under it (kit title, organisation)."""

    title: str
    subtitle: str | None
    colour: str


@dataclass(frozen=True)
class Deck:
    """A card deck: its kind and size, colours, back, tension axes, cards and print outputs."""

    id: str
    title: str
    kind: str
    file: str
    size_mm: tuple[float, float]
    colour: str
    back: Back
    cards: tuple[Card, ...]
    line: int = 1
    size_name: str = DEFAULT_SIZE
    themes: dict[str, DeckTheme] = field(default_factory=dict)
    axes: tuple[Axis, ...] = ()
    prints: tuple[str, ...] = DEFAULT_PRINTS
    png_dpi: int = DEFAULT_PNG_DPI
    cards_file: str | None = None  # the spreadsheet the cards come from, relative to the kit
    # The line of `size:` (the deck's line when the size is the default): a layout the size is
    # too small for is reported there.
    size_line: int = field(default=1, compare=False)

    @property
    def sources(self) -> tuple[str, ...]:
        """The kit files the deck is made from: the deck file, its spreadsheet and its images."""
        images = dict.fromkeys(c.image for c in self.cards if c.image)
        extra = (self.cards_file,) if self.cards_file else ()
        return (self.file, *extra, *images)

    def card_colour(self, card: Card) -> str:
        """A card's colour: its theme's when the deck gives one, else the deck's."""
        theme = self.themes.get(card.theme or "")
        return theme.colour if theme else self.colour

    def theme_label(self, card: Card) -> str | None:
        theme = self.themes.get(card.theme or "")
        return theme.label if theme else card.theme


def slug(text: str) -> str:
    """A file-name-safe form of a title: ascii, lowercase, words joined by hyphens."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "carte"


# ---------------------------------------------------------------------------------- loading

def load_deck(doc: Fields, ident: str, content: Any) -> Deck:
    """Read one deck file; every mistake goes to doc.problems, with sensible stand-ins."""
    config = content.config
    title = doc.text("title", required=True, default=ident)
    # A misspelled kind is checked as the kind it most likely means; a missing or unknown kind is
    # one error, and the checks that depend on the kind are skipped.
    chosen_kind = doc.choice("kind", KINDS, required=True) or doc.meant("kind", KINDS)
    kind = chosen_kind or "image-starters"
    size_name, size_mm = _size(doc)
    colour = _colour(doc, "colour", DEFAULT_COLOUR)
    themes = _themes(doc)
    axes = _axes(doc, kind if chosen_kind else None)
    back = _back(doc, config, colour, title)
    prints = _prints(doc)
    png_dpi = doc.integer("png_dpi", default=DEFAULT_PNG_DPI, minimum=PNG_DPI_RANGE[0], maximum=PNG_DPI_RANGE[1])
    cards, cards_file = _cards(doc, config)
    doc.done()

    deck = Deck(id=ident, title=title, kind=kind, file=doc.file, line=doc.line, size_mm=size_mm,
                size_name=size_name, colour=colour, back=back, cards=tuple(cards), themes=themes,
                axes=axes, prints=prints, png_dpi=png_dpi, cards_file=cards_file,
                size_line=doc.key_line("size") if "size" in doc.data else doc.line)
    _check_paper(deck, config, doc)
    _check_cards(deck, config, doc.problems, kind_known=chosen_kind is not None)
    return deck


def _check_paper(deck: Deck, config, doc: Fields) -> None:
    """A card too large for the kit's paper cannot be printed at home or folded."""
    from kit.imposition import fold_over, grid, mm_to_pt
    from kit.theme import PAPER_MM

    paper = mm_to_pt(PAPER_MM[config.paper])
    card = mm_to_pt(deck.size_mm)
    layouts = {"home": lambda: grid(paper, card).per_sheet, "fold": lambda: fold_over(paper, card).per_sheet}
    for edition, per_sheet in layouts.items():
        if edition in deck.prints and per_sheet() == 0:
            w, h = deck.size_mm
            doc.error("size", f"expected a card that fits {config.paper} paper for the {edition} print "
                              f"(with its margins and crop marks), got {w:g} × {h:g} mm; "
                              f"use a smaller size or drop {edition} from print:")


def _size(doc: Fields) -> tuple[str, tuple[float, float]]:
    from kit.imposition import CARD_SIZES_MM, card_size_mm

    if not doc.has("size") or doc.data.get("size") is None:
        return DEFAULT_SIZE, CARD_SIZES_MM[DEFAULT_SIZE]
    value = doc.data["size"]
    size = card_size_mm(value.strip()) if isinstance(value, str) else None
    if size is not None and max(size) > MAX_CARD_MM:
        doc.error("size", f"expected a card of at most {MAX_CARD_MM} mm a side, got {size[0]:g} × {size[1]:g} mm")
        return DEFAULT_SIZE, CARD_SIZES_MM[DEFAULT_SIZE]
    if size is None:
        doc.error("size", f'expected a card size ({", ".join(CARD_SIZES_MM)} or "WxH" in mm, e.g. "63x88"), '
                          f"got {shown(value)}{did_you_mean(value, CARD_SIZES_MM)}")
        return DEFAULT_SIZE, CARD_SIZES_MM[DEFAULT_SIZE]
    return value.strip(), size


def _colour(doc: Fields, key: str, default: str) -> str:
    """A colour: a role of the kit's theme (primary, accent...) or "#rrggbb"."""
    from kit.project import COLOUR_RE, DEFAULT_COLOURS

    value = doc.text(key)
    if value is None:
        return default
    if value in DEFAULT_COLOURS or COLOUR_RE.match(value):
        return value.lower() if value.startswith("#") else value
    roles = ", ".join(DEFAULT_COLOURS)
    doc.error(key, f'expected a theme colour ({roles}) or a colour like "#1d4e89", got {shown(value)}'
                   f"{did_you_mean(value, DEFAULT_COLOURS)}")
    return default


def _themes(doc: Fields) -> dict[str, DeckTheme]:
    themes = {}
    for name, entry in doc.named("themes"):
        themes[name] = DeckTheme(label=entry.text("label", default=name), colour=_colour(entry, "colour", DEFAULT_COLOUR))
        entry.done()
    return themes


def _axes(doc: Fields, kind: str | None) -> tuple[Axis, ...]:
    """The tension axes; `kind` None (the deck's kind is wrong) checks only the axes themselves."""
    axes = []
    for index, item, line, path in doc.items("axes", required=kind == "photo-debate"):
        ends = list(item) if isinstance(item, CommentedSeq) else None
        if ends is None or len(ends) != 2 or not all(isinstance(e, str) and e.strip() for e in ends):
            doc.problems.error(doc.file, line, path, f"expected two ends like [éthique, pas éthique], got {shown(item)}")
            continue
        doc.check_glyphs("axes", " ".join(ends), line, path)
        axes.append(Axis(ends[0].strip(), ends[1].strip()))
    if axes and kind is not None and kind != "photo-debate":
        doc.error("axes", f"expected axes only on a photo-debate deck, got them on a {kind} deck")
        return ()
    if len(axes) > MAX_AXES:
        doc.error("axes", f"expected at most {MAX_AXES} axes (they must fit a card), got {len(axes)}")
        return tuple(axes[:MAX_AXES])
    return tuple(axes)


def _back(doc: Fields, config, colour: str, title: str) -> Back:
    entry = doc.mapping("back")
    if entry is None:
        return Back(title=title, subtitle=config.title, colour=colour)
    back = Back(
        title=entry.text("title", default=title),
        subtitle=entry.text("subtitle", default=config.title),
        colour=_colour(entry, "colour", colour),
    )
    entry.done()
    return back


def _prints(doc: Fields) -> tuple[str, ...]:
    if not doc.has("print"):
        return DEFAULT_PRINTS
    chosen = []
    for index, item, line, path in doc.items("print"):
        value = PRINTS.get(str(item).strip().lower()) if isinstance(item, str) else None
        if value is None:
            names = ", ".join(dict.fromkeys(PRINTS.values()))
            guess = difflib.get_close_matches(str(item), list(PRINTS), n=1)
            hint = f' (did you mean "{guess[0]}"?)' if guess else ""
            doc.problems.error(doc.file, line, path, f"expected one of {names}, got {shown(item)}{hint}")
        elif value not in chosen:
            chosen.append(value)
    return tuple(chosen)


# ------------------------------------------------------------------------------------ cards

def _cards(doc: Fields, config) -> tuple[list[Card], str | None]:
    """The cards written inline, or those of the spreadsheet the `cards:` field names."""
    if not doc.has("cards") or doc.data.get("cards") is None:
        doc.raw("cards", required=True, expected="a list of cards or a spreadsheet file (cartes.csv)")
        return [], None
    value = doc.data["cards"]
    if isinstance(value, str):
        return _spreadsheet_cards(doc, config, value.strip())
    if not isinstance(value, CommentedSeq):
        doc.error("cards", f"expected a list of cards or a spreadsheet file (cartes.csv), got {shown(value)}")
        return [], None
    cards = []
    for index, item, line, path in doc.items("cards"):
        if isinstance(item, str) and item.strip():
            # A bare text is a card with only a title: the shortest way to list prompts.
            item = CommentedMap(title=item)
            doc.problems.title(doc.file, path, item["title"])
        if not isinstance(item, CommentedMap):
            doc.problems.error(doc.file, line, path, f"expected a card (title: ...) or a title, got {shown(item)}")
            continue
        card = read_card(Fields(item, doc.file, path, doc.problems, line), len(cards) + 1)
        if card:
            cards.append(card)
    if not cards and not value:
        doc.error("cards", "expected at least one card, got none")
    return cards, None


def read_card(entry: Fields, number: int) -> Card | None:
    """One card from a mapping of fields (a YAML item or a spreadsheet row)."""
    title = entry.text("title", required=True)
    card = Card(
        title=title or "",
        text=entry.text("text"),
        image=entry.text("image"),
        focus=_focus(entry),
        theme=entry.text("theme"),
        count=entry.integer("count", default=1, minimum=1, maximum=MAX_COPIES),
        back=entry.text("back"),
        number=number,
        places=tuple((name, Place(entry.file, entry.key_line(name) if name else entry.line))
                     for name in ("", *CARD_FIELDS)),
        path=entry.path,
    )
    entry.done()
    return card if title else None


def _focus(entry: Fields) -> tuple[float, float]:
    """The focal point of a photo, [x, y] from 0 (left, top) to 1 (right, bottom)."""
    if not entry.has("focus") or entry.data.get("focus") is None:
        return (0.5, 0.5)
    value = entry.data["focus"]
    pair = None
    if isinstance(value, list) and len(value) == 2:
        pair = list(value)
    elif isinstance(value, str) and (match := _FOCUS_TEXT.match(value)):
        try:
            pair = [float(match[1]), float(match[2])]
        except ValueError:
            pair = None
    if pair and all(isinstance(v, (int, float)) and not isinstance(v, bool) and 0 <= v <= 1 for v in pair):
        return (float(pair[0]), float(pair[1]))
    entry.error("focus", f"expected a focal point [x, y] from 0 to 1 (e.g. [0.5, 0.3]), got {shown(value)}")
    return (0.5, 0.5)


class CellFields(Fields):
    """One spreadsheet row as Fields: each mistake is placed at file:row:column."""

    def __init__(self, data: CommentedMap, file: str, row: int, columns: dict[str, int], headers: dict[str, str],
                 path: str, problems: Problems):
        super().__init__(data, f"{file}:{row}", path, problems, line=0)
        self.columns = columns
        self.headers = headers

    def key_line(self, key: str) -> int:
        return self.columns.get(key, 0)

    def field(self, key: str) -> str:
        header = self.headers.get(key)
        where = f' (column {_column_letter(self.columns[key])} "{header}")' if header else ""
        return f"{self.path}.{key}{where}" if self.path else f"{key}{where}"


def _column_letter(number: int) -> str:
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _spreadsheet_cards(doc: Fields, config, name: str) -> tuple[list[Card], str | None]:
    """Cards from a CSV or XLSX file beside the deck file (one row a card, header = field names)."""
    deck_folder = Path(doc.file).parent.as_posix()
    relative = f"{deck_folder}/{name}" if deck_folder not in ("", ".") else name
    path = config.inside(relative) if "://" not in name and not name.startswith("/") else None
    suffix = Path(name).suffix.lower()
    if suffix not in SPREADSHEETS:
        doc.error("cards", f'expected a list of cards or a .csv or .xlsx file beside the deck file, got "{name}"')
        return [], None
    if path is None:
        doc.error("cards", f'expected a spreadsheet inside the kit, beside the deck file, got "{name}"')
        return [], None
    if not path.is_file():
        doc.error("cards", f'expected a spreadsheet beside the deck file, got "{name}", which does not exist '
                           f"(looked for {relative})")
        return [], None
    shown_name = config.relative(path)
    errors_before = len(doc.problems.errors)
    rows = _read_csv(path, shown_name, doc) if suffix == ".csv" else _read_xlsx(path, shown_name, doc)
    if rows is None:
        return [], shown_name
    cards = []
    header_row, *body = rows
    columns = _header_columns(header_row, shown_name, doc.problems)
    if columns is None:
        return [], shown_name
    headers = {name: str(header_row[1][index - 1]).strip() for name, index in columns.items()}
    rows_read = 0
    for row_number, values in body:
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue  # blank rows between groups of cards are fine
        data = CommentedMap()
        for field_name, index in columns.items():
            cell = values[index - 1] if index - 1 < len(values) else None
            value = _cell_value(field_name, cell)
            if value is not None:
                data[field_name] = value
        path_name = f"cards[{rows_read}]"
        rows_read += 1
        doc.problems.title(f"{shown_name}:{row_number}", path_name, data.get("title"))
        entry = CellFields(data, shown_name, row_number, columns, headers, path_name, doc.problems)
        if "title" not in data:
            doc.problems.error(f"{shown_name}:{row_number}", columns.get("title", 1), entry.field("title"),
                               "expected text, got nothing")
            entry.asked.update(data)
            continue
        card = read_card(entry, len(cards) + 1)
        if card:
            cards.append(card)
    if not cards and len(doc.problems.errors) == errors_before:
        doc.problems.error(shown_name, 2, "cards", "expected at least one row of cards under the header, got none")
    return cards, shown_name


def _header_columns(header: tuple[int, list[Any]], file: str, problems: Problems) -> dict[str, int] | None:
    """Which column holds which card field; an unknown or repeated header is a mistake at file:1:column."""
    row, names = header
    columns: dict[str, int] = {}
    ok = True
    for index, raw in enumerate(names, start=1):
        if raw is None or not str(raw).strip():
            continue
        key = str(raw).strip().lower()
        field_name = HEADER_ALIASES.get(key)
        if field_name is None:
            guess = difflib.get_close_matches(key, list(HEADER_ALIASES), n=1, cutoff=0.6)
            hint = f' (did you mean "{guess[0]}"?)' if guess else ""
            problems.error(f"{file}:{row}", index, "header",
                           f"expected a card field ({', '.join(CARD_FIELDS)}), got \"{raw}\"{hint}")
            ok = False
        elif field_name in columns:
            problems.error(f"{file}:{row}", index, "header",
                           f'expected each field once, got "{raw}" again (also column {_column_letter(columns[field_name])})')
            ok = False
        else:
            columns[field_name] = index
    if ok and "title" not in columns:
        problems.error(f"{file}:{row}", 1, "header", f"expected a title column (title, titre or nom), got "
                       f"{', '.join(str(n) for n in names if n) or 'an empty header row'}")
        ok = False
    return columns if ok else None


def _cell_value(field_name: str, cell: Any) -> Any:
    """A cell as the YAML field would hold it: numbers for count, a pair for focus, text otherwise."""
    if cell is None:
        return None
    if isinstance(cell, str):
        text = cell.strip()
        if not text:
            return None
        if field_name == "count" and text.isdigit():
            return int(text)
        if field_name == "focus" and (match := _FOCUS_TEXT.match(text)):
            try:
                return [float(match[1]), float(match[2])]
            except ValueError:
                return text
        # Spreadsheet cells keep line breaks as \r\n on some systems.
        return text.replace("\r\n", "\n")
    if isinstance(cell, float) and cell.is_integer() and field_name == "count":
        return int(cell)
    return cell


def _read_csv(path: Path, name: str, doc: Fields) -> list[tuple[int, list[Any]]] | None:
    """Rows of a CSV file with their row numbers; comma, semicolon (French Excel) or tab separated."""
    text = read_text(path, name, doc.problems, advice=' (save it as "CSV UTF-8")')
    if text is None:
        return None
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    try:
        for values in reader:
            rows.append((reader.line_num, [v for v in values]))
    except csv.Error as exc:
        doc.problems.error(name, reader.line_num, "", f"expected CSV text, got {exc}")
        return None
    # reader.line_num is the line the row ends on; a row with a multi-line cell starts earlier.
    numbered = _row_starts(rows)
    if not numbered:
        doc.problems.error(name, 1, "", "expected a header row and one row per card, got an empty file")
        return None
    return numbered


def _row_starts(rows: list[tuple[int, list[str]]]) -> list[tuple[int, list[Any]]]:
    """Each row numbered by the line it starts on (the previous row's end + 1)."""
    result = []
    previous_end = 0
    for end, values in rows:
        result.append((previous_end + 1, values))
        previous_end = end
    return result


def _read_xlsx(path: Path, name: str, doc: Fields) -> list[tuple[int, list[Any]]] | None:
    """Rows of the first sheet of an XLSX workbook, with their row numbers (values, not formulas)."""
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (BadZipFile, OSError, KeyError, ValueError) as exc:
        doc.problems.error(name, 1, "", f"expected an Excel workbook (.xlsx), got a file that cannot be read ({exc})")
        return None
    try:
        sheet = book.worksheets[0]
        rows = [(index, list(values)) for index, values in enumerate(sheet.iter_rows(values_only=True), start=1)]
    finally:
        book.close()
    if not rows:
        doc.problems.error(name, 1, "", "expected a header row and one row per card, got an empty sheet")
        return None
    return rows


# ----------------------------------------------------------------------------- card checks

def _check_cards(deck: Deck, config, problems: Problems, kind_known: bool = True) -> None:
    """What can only be checked with the whole deck: images and themes. (Whether its texts fit their
    boxes is measured by the deck generator's check, kit.generators.deck, with the renderer's metrics.)"""
    from kit.images import decode_ahead, locate

    if not (deck.kind in NO_IMAGE and kind_known):
        decode_ahead(config, [card.image for card in deck.cards if card.image])
    for card in deck.cards:
        where = card.place
        if card.image and deck.kind in NO_IMAGE and kind_known:
            _error(problems, where("image"), card, "image", f"expected no image on a {deck.kind} card, got {shown(card.image)}")
        elif card.image:
            _, message = locate(config, card.image)
            if message:
                _error(problems, where("image"), card, "image", message)
        elif deck.kind in IMAGE_REQUIRED and kind_known:
            _error(problems, where(""), card, "image", f"expected an image on a {deck.kind} card, got nothing")
        if card.theme and deck.themes and card.theme not in deck.themes:
            known = ", ".join(deck.themes)
            guess = difflib.get_close_matches(card.theme, list(deck.themes), n=1)
            hint = f' (did you mean "{guess[0]}"?)' if guess else ""
            _error(problems, where("theme"), card, "theme", f"expected one of the deck's themes ({known}), "
                                                             f"got {shown(card.theme)}{hint}")

def _error(problems: Problems, place: Place, card: Card, field_name: str, message: str) -> None:
    problems.error(place.file, place.line, f"{card.path}.{field_name}" if card.path else field_name, message)


def iter_copies(deck: Deck) -> Iterator[Card]:
    """Every card as many times as it is printed."""
    for card in deck.cards:
        for _ in range(card.count):
            yield card
