"""The state one document's reading steps share: its rows in the bundle, the record filled, rows found so far."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.extraction.classify import Info, Ref
from app.extraction.normalize import Segment
from app.extraction.records import ExtractedDocument

# ---------------------------------------------------------------------------------------------------------------
# Reading one document


@dataclass
class ReaderState:
    """One document's rows in the bundle, the record being filled, and what each reading step found."""

    segs: list[Segment]
    infos: list[Info]
    start: int
    end: int
    doc: ExtractedDocument = field(default_factory=ExtractedDocument)
    header_end: int = 0
    sig_start: int = 0
    subject_rows: set[int] = field(default_factory=set)
    number_rows: set[int] = field(default_factory=set)
    title_row: int | None = None
    vv_row: int | None = None
    national_row: int | None = None
    own_ref: Ref | None = None
    authority_family: str | None = None

    def set(self, name: str, value: object, line: int, lines: list[int] | None = None) -> None:
        setattr(self.doc, name, value)
        self.doc.sources[name] = line
        if lines is not None and len(set(lines)) > 1:
            self.doc.source_lines[name] = tuple(sorted(set(lines)))
        else:
            self.doc.source_lines.pop(name, None)
