"""Turn content/guides/*.yaml into Guide objects: interview guides with their questions and probes.

Two modes, from the seed's field day:

- *à la volée* (met at the coffee machine, two to five minutes): a hook, three to five questions
  with one or two probes each, and a few lines for what was heard. Printed as a pocket card.
- *rendez-vous* (a scheduled 30–60 minute interview): introduction and consent, a warm-up,
  sections (goal, time, questions), a closing and a debrief checklist for the pair. Printed A4.

Probes (relances) are first-class: a question owns its probes. The method reminder (frictions of
daily life first, never a list of service ideas) is part of every guide; `reminder:` overrides
the kit's default wording, and nothing can switch it off.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from kit.content.fields import Fields, shown, text_hint

VOLEE = "à la volée"
RENDEZ_VOUS = "rendez-vous"
MODES = {
    "à la volée": VOLEE, "a la volee": VOLEE, "a-la-volee": VOLEE, "à-la-volée": VOLEE,
    "volée": VOLEE, "volee": VOLEE, "on the fly": VOLEE, "on-the-fly": VOLEE,
    "rendez-vous": RENDEZ_VOUS, "rendez vous": RENDEZ_VOUS, "rdv": RENDEZ_VOUS,
    "appointment": RENDEZ_VOUS,
}

# How many questions and probes fit the two minutes at the coffee machine (and the pocket card).
VOLEE_QUESTIONS = (3, 5)
VOLEE_PROBES = (1, 2)
# Lines for "ce qu'on a entendu" under the questions of a pocket card, when `heard:` asks for them:
# none by default, the card's note side (its back) is where the street notes go.
DEFAULT_HEARD_LINES = 0
MAX_HEARD_LINES = 6
# Ruled note space under a rendez-vous question, unless `notes:` says otherwise.
DEFAULT_NOTE_LINES = 4
MAX_NOTE_LINES = 30
MAX_NOTE_MM = 200.0
NOTE_HEIGHT_RE = re.compile(r"^\s*(?P<n>\d+(?:[.,]\d+)?)\s*(?P<unit>mm|cm)\s*$", re.IGNORECASE)
UNIT_MM = {"mm": 1.0, "cm": 10.0}


@dataclass(frozen=True)
class NoteSpace:
    """Room to write under a question: a number of ruled lines, or a height in millimetres."""

    lines: int | None = None
    height_mm: float | None = None


NO_NOTES = NoteSpace(lines=0)  # pocket-card questions: the card's "heard" lines take the notes


@dataclass(frozen=True)
class Probe:
    """A relance: what the interviewer says to go deeper when the first answer stays general."""

    text: str
    line: int


@dataclass(frozen=True)
class Question:
    """A question as asked aloud, its probes, what to listen for, and the room to note the answer."""

    text: str
    line: int
    probes: tuple[Probe, ...] = ()
    listen: tuple[str, ...] = ()
    notes: NoteSpace = NoteSpace(lines=DEFAULT_NOTE_LINES)


@dataclass(frozen=True)
class Section:
    """A part of a rendez-vous interview: its goal, its time and its questions."""

    title: str | None
    line: int
    goal: str | None = None
    minutes: int | None = None
    questions: tuple[Question, ...] = ()
    listen: tuple[str, ...] = ()


@dataclass(frozen=True)
class Revision:
    """A version of a guide: its number, the day it took effect and what changed in it."""

    version: str | None            # None: the kit's version
    date: dt.date | None           # None: the kit's date
    changes: tuple[str, ...] = ()
    line: int = 0


@dataclass(frozen=True)
class Guide:
    """An interview guide, à la volée (pocket card) or rendez-vous (A4 document)."""

    id: str
    title: str
    mode: str
    file: str
    line: int = 1
    duration: int | None = None
    version: str | None = None     # None: the kit's version
    date: dt.date | None = None    # None: the kit's date
    reminder: str | None = None    # None: the kit's default wording in the kit's language
    hook: str | None = None        # à la volée: the first sentence at the coffee machine
    questions: tuple[Question, ...] = ()   # à la volée
    heard_lines: int = DEFAULT_HEARD_LINES  # à la volée: "ce qu'on a entendu"
    intro: str | None = None       # rendez-vous: who we are, why we are here
    consent: str | None = None     # rendez-vous: what happens to what is said
    warmup: Section | None = None
    sections: tuple[Section, ...] = ()
    closing: str | None = None
    debrief: tuple[str, ...] = ()
    revisions: tuple[Revision, ...] = ()   # newest first; the first is the current version

    @property
    def changes(self) -> tuple[str, ...]:
        """What changed in the current version."""
        return self.revisions[0].changes if self.revisions else ()

    def revision_on(self, day: dt.date) -> Revision | None:
        """The version in force on a day: the newest one dated on or before it (an undated one always is);
        None when every known version is younger than the day."""
        for revision in self.revisions:
            if revision.date is None or revision.date <= day:
                return revision
        return None

    @property
    def on_the_fly(self) -> bool:
        return self.mode == VOLEE

    @property
    def all_questions(self) -> tuple[Question, ...]:
        """Every question in the order it is asked, whatever the mode."""
        if self.on_the_fly:
            return self.questions
        parts = ((self.warmup,) if self.warmup else ()) + self.sections
        return tuple(q for part in parts for q in part.questions)


def parse_note_space(value: Any) -> NoteSpace | None:
    """4 → four ruled lines; "3 cm" / "30 mm" → a height; 0 → no note space; else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return NoteSpace(lines=value) if 0 <= value <= MAX_NOTE_LINES else None
    if isinstance(value, str):
        if value.strip().isdigit():
            return parse_note_space(int(value.strip()))
        match = NOTE_HEIGHT_RE.match(value)
        if match:
            height = float(match["n"].replace(",", ".")) * UNIT_MM[match["unit"].lower()]
            return NoteSpace(height_mm=height) if 0 < height <= MAX_NOTE_MM else None
    return None


def read_note_space(entry: Fields, default: NoteSpace) -> NoteSpace:
    if not entry.has("notes") or entry.data["notes"] is None:
        return default
    raw = entry.data["notes"]
    notes = parse_note_space(raw)
    if notes is None:
        entry.error("notes", f'expected note space as lines (0 to {MAX_NOTE_LINES}) or a height '
                             f'("3 cm", "25 mm"), got {shown(raw)}')
        return default
    return notes


def read_question(entry: Fields, default_notes: NoteSpace) -> Question | None:
    text = entry.text("ask", required=True)
    probes = tuple(Probe(p, line) for p, line in _texts_with_lines(entry, "probes"))
    listen = tuple(entry.texts("listen"))
    notes = read_note_space(entry, default_notes)
    entry.done()
    if text is None:
        return None
    return Question(text=text, line=entry.line, probes=probes, listen=listen, notes=notes)


def read_questions(doc: Fields, default_notes: NoteSpace, required: bool = False) -> tuple[Question, ...]:
    """A list of questions; each is a mapping (`ask:`, `probes:`...) or a plain text (no probes)."""
    questions = []
    for index, item, line, path in doc.items("questions", required):
        if isinstance(item, str) and item.strip():
            questions.append(Question(text=item.strip(), line=line, notes=default_notes))
        elif isinstance(item, CommentedMap):
            question = read_question(Fields(item, doc.file, path, doc.problems, line), default_notes)
            if question:
                questions.append(question)
        else:
            doc.problems.error(doc.file, line, path, f"expected a question (text, or ask: with probes:), got {shown(item)}")
    return tuple(questions)


def read_section(entry: Fields, titled: bool = True) -> Section:
    """A section; the warm-up's title may be left out (the label "Mise en route" stands in)."""
    title = entry.text("title", required=titled)
    section = Section(
        title=title,
        line=entry.line,
        goal=entry.text("goal"),
        minutes=entry.minutes("time"),
        questions=read_questions(entry, NoteSpace(lines=DEFAULT_NOTE_LINES)),
        listen=tuple(entry.texts("listen")),
    )
    entry.done()
    return section


def load_guide(doc: Fields, ident: str) -> Guide:
    """One guide file; mode-specific rules (3–5 questions à la volée...) are checked here."""
    # A misspelled mode is checked as the mode it most likely means; an unknown one by no mode's rules.
    chosen_mode = doc.choice("mode", MODES, required=True) or doc.meant("mode", MODES)
    mode = chosen_mode or RENDEZ_VOUS
    on_the_fly = mode == VOLEE

    version, date = doc.text("version"), doc.date("date")
    revisions = read_revisions(doc, version, date)
    if revisions and any(isinstance(item, CommentedMap) for item in doc.data.get("changes") or ()):
        # A history: the current version and its date are its newest entry's, written once.
        version, date = version or revisions[0].version, date or revisions[0].date
    warmup_fields = doc.mapping("warmup")
    warmup = read_section(warmup_fields, titled=False) if warmup_fields else None
    sections = tuple(read_section(entry) for entry in doc.records("sections"))
    guide = Guide(
        id=ident,
        title=doc.text("title", required=True, default=ident),
        mode=mode,
        file=doc.file,
        duration=doc.minutes("duration"),
        version=version,
        date=date,
        reminder=doc.text("reminder"),
        hook=doc.text("hook"),
        questions=read_questions(doc, NO_NOTES if on_the_fly else NoteSpace(lines=DEFAULT_NOTE_LINES)),
        heard_lines=doc.integer("heard", default=DEFAULT_HEARD_LINES, minimum=0, maximum=MAX_HEARD_LINES),
        intro=doc.text("intro"),
        consent=doc.text("consent"),
        warmup=warmup,
        sections=sections,
        closing=doc.text("closing"),
        debrief=tuple(doc.texts("debrief")),
        revisions=revisions,
    )
    if chosen_mode is None:
        pass  # one error for a wrong mode, not one per field of the other mode
    elif on_the_fly:
        check_on_the_fly(doc, guide)
    else:
        check_rendez_vous(doc, guide)
    if chosen_mode is not None:
        check_spelled_duration(doc, guide)
    doc.done()
    return guide


def read_revisions(doc: Fields, version: str | None, date: dt.date | None) -> tuple[Revision, ...]:
    """`changes:` as a list of texts (what changed in the current version), or as the guide's history:
    entries with `version:`, `date:` and `changes:`, returned newest first. In a history, `version:`
    and `date:` of the guide may be left out (the newest entry's); written, they must agree with it."""
    value = doc.data.get("changes")
    if not (isinstance(value, CommentedSeq) and any(isinstance(item, CommentedMap) for item in value)):
        texts = tuple(doc.texts("changes"))
        return (Revision(version, date, texts, doc.key_line("changes")),) if texts else ()
    revisions: list[Revision] = []
    seen: dict[str, int] = {}
    for entry in doc.records("changes"):
        number = entry.text("version", required=True)
        day = entry.date("date", required=True)
        changes = tuple(entry.texts("changes"))
        entry.done()
        if number is None or day is None:
            continue
        if number in seen:
            entry.error("version", f'expected each version once in changes:, got "{number}" again '
                                   f"(line {seen[number]})")
            continue
        seen[number] = entry.line
        revisions.append(Revision(number, day, changes, entry.line))
    revisions.sort(key=lambda r: r.date, reverse=True)  # stable: same-day entries keep the file's order
    if revisions:
        newest = revisions[0]
        if version is not None and version != newest.version:
            doc.error("version", f'expected the newest version of changes: ("{newest.version}", line '
                                 f'{newest.line}), got "{version}"; write the version once, in changes:')
        if date is not None and date != newest.date:
            doc.error("date", f"expected the date of the newest version in changes: ({newest.date.isoformat()}, "
                              f"line {newest.line}), got {date.isoformat()}")
    return tuple(revisions)


# A duration written in a title or hook ("Deux minutes à la machine à café") next to `duration:` is
# the same fact twice, and the two drift apart: a card once said "5 min" above "Deux minutes".
NUMBER_WORDS = {
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8,
    "neuf": 9, "dix": 10, "quinze": 15, "vingt": 20, "trente": 30, "one": 1, "two": 2, "three": 3,
    "four": 4, "five": 5, "ten": 10, "fifteen": 15, "twenty": 20, "thirty": 30,
}
SPELLED_MINUTES_RE = re.compile(
    r"\b(?P<n>\d+|" + "|".join(NUMBER_WORDS) + r")[\s\u00a0\u202f-]*(?:min\b|minutes?\b|mn\b)", re.IGNORECASE)


def check_spelled_duration(doc: Fields, guide: Guide) -> None:
    """Warn when the title or hook states a number of minutes other than `duration:`."""
    if not guide.duration:
        return
    for key, text in (("title", guide.title), ("hook", guide.hook)):
        for match in SPELLED_MINUTES_RE.finditer(text or ""):
            number = match["n"].lower()
            minutes = int(number) if number.isdigit() else NUMBER_WORDS[number]
            if minutes != guide.duration:
                doc.warn(key, f'expected no other duration than duration: ({guide.duration} min, printed in the '
                              f'header), got "{match.group(0)}" in the {key}; write the duration once, in duration:')
                break


def check_on_the_fly(doc: Fields, guide: Guide) -> None:
    """Two minutes at the coffee machine: a hook, 3–5 questions, 1–2 probes each, nothing else."""
    low, high = VOLEE_QUESTIONS
    if not low <= len(guide.questions) <= high:
        doc.error("questions", f"expected {low} to {high} questions for a guide à la volée, "
                               f"got {len(guide.questions) or 'none'}")
    low, high = VOLEE_PROBES
    for index, question in enumerate(guide.questions):
        if not low <= len(question.probes) <= high:
            doc.problems.error(doc.file, question.line, f"questions[{index}].probes",
                               f"expected {low} or {high} probes (relances) for a question à la volée, "
                               f"got {len(question.probes)}")
        if question.notes != NO_NOTES:
            doc.problems.error(doc.file, question.line, f"questions[{index}].notes",
                               "expected no note space on a pocket card (its lines for what was heard "
                               "are set by heard:), got one")
    for key in ("intro", "consent", "warmup", "sections", "closing", "debrief"):
        if key in doc.data:
            doc.error(key, f'expected no "{key}" in a guide à la volée (it belongs to rendez-vous guides), got one')


def check_rendez_vous(doc: Fields, guide: Guide) -> None:
    """A scheduled interview is built of sections; a hook or loose questions belong à la volée."""
    if not guide.sections and "sections" not in doc.data:
        doc.problems.error(doc.file, doc.line, "sections",
                           "expected sections (title, goal, time, questions) for a rendez-vous guide, got nothing")
    for key in ("hook", "questions", "heard"):
        if key in doc.data:
            doc.error(key, f'expected no "{key}" in a rendez-vous guide (put questions in sections), got one')
    planned = sum(s.minutes or 0 for s in ((guide.warmup,) if guide.warmup else ()) + guide.sections)
    if guide.duration and planned > guide.duration:
        doc.warn("duration", f"the sections add up to {planned} min, more than the {guide.duration} min planned")


def _texts_with_lines(doc: Fields, key: str) -> list[tuple[str, int]]:
    """A list of texts with the line of each (a probe's mistake names its own line); one text is a list of one."""
    value = doc.data.get(key)
    if isinstance(value, str):
        doc.asked.add(key)
        doc.check_glyphs(key, value, doc.key_line(key))
        return [(value.strip(), doc.key_line(key))] if value.strip() else []
    result = []
    for index, item, line, path in doc.items(key):
        if isinstance(item, (str, int, float)) and not isinstance(item, bool) and str(item).strip():
            doc.check_glyphs(key, str(item), line, path)
            result.append((str(item).strip(), line))
        else:
            doc.problems.error(doc.file, line, path, f"expected text, got {shown(item)}{text_hint(item)}")
    return result
