"""A document's body: the documents it cites, the deadline it sets, and the received ĐẾN stamp of the input."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from datetime import date

from app.extraction.classify import _ref_from
from app.extraction.normalize import Segment, make_date, words_key
from app.extraction.patterns import _CITE, _DEADLINE, _REPORT_VERB, _STAMP, _STAMP_COLUMNS, STAMP_SPAN
from app.extraction.reader_state import ReaderState
from app.extraction.records import Citation, ReceivedStamp
from app.extraction.vocabulary import TYPE_NAMES


@dataclass
class _Paragraph:
    text: str
    key: str
    offsets: list[int]
    lines: list[int]

    def line_at(self, position: int) -> int:
        return self.lines[max(0, bisect.bisect_right(self.offsets, position) - 1)]


def _paragraph(parts: list[Segment]) -> _Paragraph:
    offsets, lines, position = [], [], 0
    for part in parts:
        offsets.append(position)
        lines.append(part.no)
        position += len(part.text) + 1
    return _Paragraph(" ".join(p.text for p in parts), " ".join(p.key for p in parts), offsets, lines)



class CitationReader(ReaderState):
    """Reads the body of one document as paragraphs: the documents it cites and its deadline."""

    # -- body: cites and deadline ----------------------------------------------------------------------------
    def _paragraphs(self) -> tuple[list[_Paragraph], _Paragraph | None]:
        """Body text as paragraphs (wrapped lines joined) for cites and deadlines, and the subject on its own.

        A single blank line does not end a paragraph when the text goes on in lower case or with a number after
        a line without final punctuation: a page break or double-spaced OCR inside a sentence."""
        paragraphs: list[_Paragraph] = []
        current: list[Segment] = []
        pending_break = False
        skip = self.number_rows | self.subject_rows

        def flush() -> None:
            nonlocal current
            if current:
                paragraphs.append(_paragraph(current))
                current = []

        for r in range(self.start, self.end):
            seg = self.segs[r]
            if seg.blank:
                pending_break = True
                continue
            if r in skip or seg.right:
                flush()
                if seg.right and r not in skip:
                    paragraphs.append(_paragraph([seg]))
                continue
            if current and (seg.bullet or (pending_break and not (
                    (seg.text[:1].islower() or seg.text[:1].isdigit())
                    and not current[-1].text.endswith((".", ":", ";", "!", "?"))))):
                flush()  # a list item or a real paragraph break
            pending_break = False
            current.append(seg)
        flush()
        subject = _paragraph([self.segs[r] for r in sorted(self.subject_rows)]) if self.subject_rows else None
        return paragraphs, subject

    def read_body(self) -> None:
        paragraphs, subject = self._paragraphs()
        own = self.own_ref.reference.casefold() if self.own_ref else None
        reference_date = self.doc.issued_on
        if reference_date is None and self.doc.digital_signature and self.doc.digital_signature.signed_at:
            reference_date = self.doc.digital_signature.signed_at.date()
        cites: dict[str, Citation] = {}
        dates_seen: dict[str, set[date]] = {}
        for paragraph in [*paragraphs, *([subject] if subject else [])]:
            for match in _CITE.finditer(paragraph.key):
                ref = _ref_from(match, paragraph.text)
                if ref is None or ref.reference.casefold() == own:
                    continue
                key = ref.reference.casefold()
                issued = _match_date(match)
                if issued is not None and reference_date is not None and issued > reference_date:
                    issued = None  # cited as dated after the citing document: a misprint, not a date to keep
                if issued is not None:
                    dates_seen.setdefault(key, set()).add(issued)
                if key in cites:  # named again: only completes a date the first mention lacked
                    if cites[key].issued_on is None and len(dates_seen.get(key, ())) == 1:
                        cites[key].issued_on = issued
                    continue
                doc_type = TYPE_NAMES.get(words_key(match.group("type")))
                cites[key] = Citation(ref.reference, doc_type, issued, paragraph.line_at(match.start()))
        for key, seen in dates_seen.items():
            if len(seen) > 1:
                cites[key].issued_on = None  # two different dates for one reference: not sure, left empty
        if cites:
            values = list(cites.values())
            self.set("cites", values, values[0].line or self.segs[self.start].no)
        self._read_deadline(paragraphs)

    def _read_deadline(self, paragraphs: list[_Paragraph]) -> None:
        found: list[tuple[date, int, bool]] = []
        floor = self.doc.issued_on
        for paragraph in paragraphs:
            for match in _DEADLINE.finditer(paragraph.key):
                when = _match_date(match)
                if when is None or (floor is not None and when < floor):
                    continue
                before = paragraph.key[max(0, match.start() - 200):match.start()]
                found.append((when, paragraph.line_at(match.start()), _REPORT_VERB.search(before) is not None))
        for group in ([f for f in found if f[2]], found):
            dates = {f[0] for f in group}
            if len(dates) == 1:
                when, line, _ = group[0]
                self.set("deadline", when, line)
                return
            if len(dates) > 1:
                return  # two different deadlines: not sure which one, leave it to the clerk



def _match_date(match: re.Match[str]) -> date | None:
    groups = match.groupdict()
    if groups.get("y1"):
        return make_date(groups["d1"], groups["m1"], groups["y1"])
    if groups.get("y2"):
        return make_date(groups["d2"], groups["m2"], groups["y2"])
    return None


def _read_stamp(segs: list[Segment]) -> ReceivedStamp | None:
    limit = min(len(segs), STAMP_SPAN)
    for i in range(limit):
        seg = segs[i]
        if seg.blank or len(seg.text) > 100:
            continue
        parts = [seg]
        for j in range(i + 1, min(len(segs), i + 6)):
            if not segs[j].blank and len(segs[j].text) <= 100:
                parts.append(segs[j])
                if len(parts) >= 3:
                    break
        paragraph = _paragraph(parts)
        match = _STAMP.search(paragraph.key) or _STAMP_COLUMNS.search(paragraph.key)
        if match is None or match.start() >= len(seg.text) or not paragraph.text[match.start()].isupper():
            continue
        stamp_date = make_date(match.group("d"), match.group("m"), match.group("y")) if match.group("y") else None
        return ReceivedStamp(int(match.group("n")), stamp_date, seg.no)
    return None

