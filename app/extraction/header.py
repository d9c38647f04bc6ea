"""A document's header: agency lines, national title and family, number and date lines, type title, subject, marks."""

from __future__ import annotations

from app.extraction.classify import _ref_from
from app.extraction.normalize import has_lower, is_upper_text
from app.extraction.patterns import _BARE_REF, _NUMBER_EMBEDDED, _PARTY_WORDS, _STATE_WORDS, HEADER_SPAN
from app.extraction.reader_state import ReaderState
from app.extraction.vocabulary import PARTY_ABBREVIATIONS, SECRECY_RANK, STATE_ABBREVIATIONS, URGENCY_RANK


class HeaderReader(ReaderState):
    """Reads the header rows of one document, and its family from the header or the signing authority."""

    # -- header -----------------------------------------------------------------------------------------------
    def _subject_lines(self, first: int, lead: int | None = None) -> list[int]:
        """Rows of a subject: after a title (lead None) its first line may follow blank lines; after the V/v line
        (lead) the wrapped lines follow at once. It ends at a blank line or at another part of the document."""
        rows: list[int] = []
        k = first
        skipped = 0
        while k < self.end and len(rows) < 7:
            seg, info = self.segs[k], self.infos[k]
            last = rows[-1] if rows else lead
            if seg.blank:
                if last is None and skipped < 4:
                    skipped += 1
                    k += 1
                    continue
                if last is not None and self._continues_after_blank(k, last):
                    k += 1
                    continue
                break
            if seg.right and last is not None:
                k += 1  # the other column of a two-column line (the date beside the V/v)
                continue
            if not info.short or info.national or info.motto or info.number or info.date_line or info.title \
                    or info.recipient_intro >= 0 or info.noi_nhan >= 0 or info.authority or info.mark \
                    or info.sig_label or (last is not None and info.vv >= 0):
                break
            if info.wkey.startswith(("CAN CU", "THUC HIEN", "KINH ", "NGAY ")):
                break
            if rows and info.upper and any(has_lower(self.segs[r].text) for r in rows):
                break  # "ỦY BAN NHÂN DÂN TỈNH …" under a decision's subject
            if last is not None and (len(seg.text) > 90 or self.segs[last].text.endswith((".", ":", ";"))):
                break  # a body paragraph right under the subject, with no blank line between
            rows.append(k)
            k += 1
        return rows

    def _continues_after_blank(self, blank: int, last: int) -> bool:
        """A line broken by a blank line (double-spaced OCR): the next line goes on in lower case."""
        nxt = next((j for j in range(blank + 1, min(self.end, blank + 3)) if not self.segs[j].blank), None)
        if nxt is None or self.segs[nxt].right:
            return False
        text = self.segs[nxt].text
        return (text[:1].islower() and len(text) <= 90 and self.infos[nxt].short
                and not self.segs[last].text.endswith((".", ":", ";")))

    def read_header(self) -> None:
        segs, infos = self.segs, self.infos
        limit = min(self.end, self.start + HEADER_SPAN)
        title_rows: list[int] = []
        vv_rows: list[int] = []
        k = self.start
        while k < limit:
            seg, info = segs[k], infos[k]
            if seg.blank:
                k += 1
                continue
            if info.title and self.title_row is None:
                self.title_row = k
                title_rows = self._subject_lines(k + 1)
                k = (title_rows[-1] if title_rows else k) + 1
                continue
            if info.vv >= 0 and self.vv_row is None:
                self.vv_row = k
                vv_rows = [k, *self._subject_lines(k + 1, lead=k)]
                k = vv_rows[-1] + 1
                continue
            if info.recipient_intro >= 0 or info.noi_nhan >= 0 or info.authority or (info.prose and info.short
                                                                                     and info.date_line is None) \
                    or not info.short:
                break
            k += 1
        self.header_end = k
        zone = range(self.start, self.header_end)
        subject_zone = {*title_rows, *vv_rows}
        stop = min([r for r in (self.title_row, self.vv_row) if r is not None], default=self.header_end)

        # national title, number, date, marks
        for r in zone:
            info = infos[r]
            if info.national and self.national_row is None:
                self.national_row = r
            if info.number is not None and self.own_ref is None:
                self.own_ref = info.number
                self.number_rows.add(r)
                stop = min(stop, r)
            if info.date_line is not None and r not in subject_zone and self.doc.sources.get("place") is None \
                    and self.doc.sources.get("issued_on") is None:
                issued, place = info.date_line
                if issued is not None:
                    self.set("issued_on", issued, segs[r].no)
                if place is not None:
                    self.set("place", place, segs[r].no)
            if info.mark is not None:
                urgency, secrecy = info.mark
                if urgency and URGENCY_RANK[urgency] > URGENCY_RANK.get(self.doc.urgency or "", 0):
                    self.set("urgency", urgency, segs[r].no)
                if secrecy and SECRECY_RANK[secrecy] > SECRECY_RANK.get(self.doc.secrecy or "", 0):
                    self.set("secrecy", secrecy, segs[r].no)
        if self.own_ref is None:
            self._number_fallback(zone, subject_zone)
        if self.own_ref is not None:
            row = min(self.number_rows)
            stop = min(stop, row)
            self.set("number", self.own_ref.number, segs[row].no)
            self.set("notation", self.own_ref.notation, segs[row].no)
            self.set("reference", self.own_ref.reference, segs[row].no)

        # issuer and its parent from the agency lines
        self._read_agency(range(self.start, stop))

        # subject and type
        subject_rows = title_rows or (vv_rows if self.vv_row is not None else [])
        if subject_rows:
            parts = [segs[r].text for r in subject_rows]
            if infos[subject_rows[0]].vv >= 0:  # stored without its "V/v" label
                parts[0] = parts[0][infos[subject_rows[0]].vv:]
            subject = " ".join(p for p in (part.strip() for part in parts) if p)
            if subject:
                self.set("subject", subject, segs[subject_rows[0]].no, [segs[r].no for r in subject_rows])
                self.subject_rows.update(subject_rows)
        if self.title_row is not None:
            self.set("doc_type", infos[self.title_row].title, segs[self.title_row].no)
        elif self.own_ref is not None and self.own_ref.abbreviation:
            table = PARTY_ABBREVIATIONS if self.own_ref.family == "party" else STATE_ABBREVIATIONS
            if self.own_ref.abbreviation in table:
                self.set("doc_type", table[self.own_ref.abbreviation], segs[min(self.number_rows)].no)
        if self.doc.doc_type is None and self.vv_row is not None:
            self.set("doc_type", "Công văn", segs[self.vv_row].no)

    def _number_fallback(self, zone: range, subject_zone: set[int]) -> None:
        segs, infos = self.segs, self.infos
        for r in zone:
            info = infos[r]
            if info.number_label:  # "Số:" with the reference on the next line
                nxt = next((j for j in range(r + 1, min(r + 3, self.header_end)) if not segs[j].blank), None)
                if nxt is not None:
                    match = _BARE_REF.match(segs[nxt].key)
                    if match is not None:
                        self.own_ref = _ref_from(match, segs[nxt].text)
                        self.number_rows.update((r, nxt))
                        return
            if info.short and len(segs[r].text) <= 120 and r not in subject_zone:
                match = _NUMBER_EMBEDDED.search(segs[r].key)
                if match is not None and segs[r].text[match.start()] == "S" \
                        and is_upper_text(segs[r].text[:match.start()] or "S"):
                    self.own_ref = _ref_from(match, segs[r].text)
                    self.number_rows.add(r)
                    return

    def _read_agency(self, rows: range) -> None:
        segs, infos = self.segs, self.infos
        before: list[tuple[str, int]] = []
        after: list[tuple[str, int]] = []
        # Agency lines above the national title win over lines below it (OCR reads the columns one after the
        # other); when the national title shares its line with an agency, the columns were read side by side.
        side_by_side = self.national_row is not None and bool(infos[self.national_row].agency_prefix)
        for r in rows:
            info = infos[r]
            text = info.agency_prefix or (segs[r].text if info.agency else "")
            if text:
                below = self.national_row is not None and r > self.national_row and not side_by_side
                (after if below else before).append((text, segs[r].no))
        texts: list[str] = []  # one agency per entry, wrapped lines joined
        numbers: list[list[int]] = []
        for text, no in before or after:
            if texts and _joins(texts[-1], text):
                texts[-1] = f"{texts[-1]} {text}"
                numbers[-1].append(no)
            else:
                texts.append(text)
                numbers.append([no])
        if texts:
            self.set("issuer", texts[-1].upper(), numbers[-1][0], numbers[-1])
            if len(texts) >= 2:
                self.set("issuer_parent", texts[-2].upper(), numbers[-2][0], numbers[-2])

    # -- family ------------------------------------------------------------------------------------------------
    def read_family(self) -> None:
        segs = self.segs
        if self.national_row is not None:
            self.set("family", self.infos[self.national_row].national, segs[self.national_row].no)
            return
        if self.own_ref is not None:
            self.set("family", self.own_ref.family, self.doc.sources["reference"])
            return
        for name in ("issuer", "issuer_parent"):
            value = getattr(self.doc, name)
            if value:
                upper = value.upper().replace("UỶ", "ỦY")
                if _PARTY_WORDS.search(upper):
                    self.set("family", "party", self.doc.sources[name])
                    return
        for name in ("issuer", "issuer_parent"):
            value = getattr(self.doc, name)
            if value and _STATE_WORDS.match(value.upper()):
                self.set("family", "state", self.doc.sources[name])
                return
        if self.authority_family:
            self.set("family", self.authority_family, self.doc.sources["signing_authority"])



def _joins(above: str, below: str) -> bool:
    """Is below the continuation of the agency line above ('ỦY BAN NHÂN DÂN' + 'TỈNH TÂY NINH')?"""
    up_above, up_below = above.upper(), below.upper()
    words_above, words_below = up_above.split(), up_below.split()
    if not words_above or not words_below:
        return False
    if words_above[-1] in {"VÀ", "CỦA", "VỀ", "-", "–", "&"} or above.rstrip().endswith(("-", ",", "&")):
        return True
    if words_below[0] in {"VÀ", "&", "-", "–"} or below.lstrip().startswith(("-", "&")):
        return True
    localities = {"TỈNH", "HUYỆN", "QUẬN", "XÃ", "PHƯỜNG", "TP", "TP.", "THÀNH PHỐ", "THỊ XÃ", "THỊ TRẤN"}
    if words_above[-1] in localities or " ".join(words_above[-2:]) in localities:
        return True
    first = " ".join(words_below[:2]) if " ".join(words_below[:2]) in localities else words_below[0]
    second = words_below[len(first.split())] if len(words_below) > len(first.split()) else ""
    if first in localities and second not in {"ỦY", "UỶ"}:
        has_locality = any(w in localities for w in words_above) or any(
            " ".join(words_above[i:i + 2]) in localities for i in range(len(words_above) - 1))
        return not has_locality
    return False
