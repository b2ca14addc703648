"""Turn a `materials:` list into Material references: plain supplies or links to the kit's outputs."""

from __future__ import annotations

from dataclasses import dataclass

from ruamel.yaml.comments import CommentedMap

from kit.content.fields import Fields, shown, text_hint

# The content kinds a material may point at, by the key used in YAML (`- deck: image-starters`).
REFERENCE_KINDS = {"deck": "decks", "guide": "guides", "worksheet": "worksheets", "field": "field"}


@dataclass(frozen=True)
class Material:
    """Something to bring: free text ("Feutres"), or a deck / guide / worksheet of the kit."""

    label: str
    kind: str | None = None  # content kind folder ("decks"...) when it refers to kit content
    ref: str | None = None
    count: int | None = None
    file: str = ""
    line: int = 0

    @property
    def key(self) -> str:
        """What makes two materials the same item on a checklist."""
        return f"{self.kind}:{self.ref}" if self.kind else self.label.casefold()


def read_materials(doc: Fields, key: str = "materials") -> tuple[Material, ...] | None:
    """The materials list of a format, variant or block; None when the key is absent."""
    if not doc.has(key):
        return None
    result = []
    for index, item, line, path in doc.items(key):
        if isinstance(item, str) and item.strip():
            doc.check_glyphs(key, item, line, path)
            result.append(Material(label=item.strip(), file=doc.file, line=line))
            continue
        if isinstance(item, CommentedMap):
            entry = Fields(item, doc.file, path, doc.problems, line)
            refs = [k for k in REFERENCE_KINDS if k in item]
            label = entry.text("label")
            count = entry.integer("count", minimum=1)
            for k in REFERENCE_KINDS:
                entry.has(k)
            if not refs and entry.looks_like_text() and not ({"label", "count"} & set(item)):
                doc.problems.error(doc.file, line, path, f"expected a text or a reference (deck: NAME), got "
                                                         f"{shown(item)}{text_hint(item)}")
                continue
            if len(refs) != 1:
                doc.problems.error(doc.file, line, path,
                                   f"expected one of {', '.join(REFERENCE_KINDS)} (or a plain text), got "
                                   + (", ".join(refs) if refs else "none of them"))
            else:
                ref = entry.text(refs[0], required=True)
                if ref:
                    result.append(Material(label=label or ref, kind=REFERENCE_KINDS[refs[0]], ref=ref,
                                           count=count, file=doc.file, line=line))
            entry.done()
            continue
        doc.problems.error(doc.file, line, path, f"expected a text or a reference (deck: NAME), got {shown(item)}")
    return tuple(result)
