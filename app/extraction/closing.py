"""A document's closing: Kính gửi and Nơi nhận lists, authority, signer title and name, the digital signature."""

from __future__ import annotations

from datetime import datetime, timedelta

from app.extraction.classify import _classify
from app.extraction.normalize import Segment, clean_item, is_upper_text, looks_like_name
from app.extraction.patterns import _ISO_TIME, _ORGANIZATION, _SIGNED_AT, _SIGNED_BY, _VN_TIME
from app.extraction.reader_state import ReaderState
from app.extraction.records import DigitalSignature


class ClosingReader(ReaderState):
    """Reads the addressee and distribution lists, the signature block and the digital signature of one document."""

    # -- lists and signature -----------------------------------------------------------------------------------
    def find_signature_zone(self) -> None:
        first_noi = next((r for r in range(self.header_end, self.end) if self.infos[r].noi_nhan >= 0), None)
        last_end = None
        last_prose = None
        for r in range(self.header_end, self.end):
            info = self.infos[r]
            if info.body_end:
                last_end = r
            if info.prose and not self.segs[r].bullet:
                last_prose = r
        candidates = [r for r in (first_noi, last_end) if r is not None]
        if candidates:
            self.sig_start = min(candidates)
        else:
            self.sig_start = max(self.header_end, (last_prose + 1) if last_prose is not None else self.header_end)

    def _list_after(self, row: int, rest: str, distribution: bool) -> list[str]:
        """The items under 'Kính gửi:' / 'Nơi nhận:': bullet lines, wrapped items joined, separators dropped."""
        raw: list[str] = []  # items as printed; cleaned at the end
        rest = rest.strip().lstrip("-–+•").strip()
        if rest:
            raw.append(rest)
        misses = 0
        joinable = bool(raw)  # the last item may continue on the next line
        for r in range(row + 1, self.end):
            seg, info = self.segs[r], self.infos[r]
            if seg.blank:
                joinable = False
                continue
            if len(raw) >= 80:
                break
            text = seg.text
            starts_lu = info.wkey.startswith("LUU") and info.short
            plain_item = ((joinable or not raw) and len(text) <= 100 and text.endswith((";", ",")) and not info.upper
                          and not info.wkey.startswith(("CAN CU", "THUC HIEN", "THEO ", "TIEP THEO")))
            if not seg.right and (seg.bullet or (distribution and starts_lu) or plain_item):
                raw.append(text)
                misses, joinable = 0, True
                if distribution and starts_lu:
                    break  # "Lưu: VT, VP." closes the list
                continue
            if joinable and not seg.right and len(text) <= 120 and text[:1].islower() \
                    and not raw[-1].endswith((";", ".", ":")):
                raw[-1] = f"{raw[-1]} {text}"  # an item wrapped onto the next line
                continue
            joinable = False
            if distribution and (seg.right or info.authority or info.placeholder or info.name
                                 or (info.upper and info.short) or not any(ch.isalpha() for ch in text)):
                misses += 1  # the signature block printed beside or between the list items
                if misses > 6:
                    break
                continue
            if not distribution and seg.right:
                continue
            break
        return [item for item in (clean_item(text) for text in raw) if item]

    def read_lists(self) -> None:
        segs, infos = self.segs, self.infos
        for r in range(self.start, max(self.sig_start, min(self.end, self.header_end + 1))):
            if infos[r].recipient_intro >= 0:
                rest = segs[r].text[infos[r].recipient_intro:]
                items = self._list_after(r, rest, distribution=False)
                if items:
                    self.set("recipients", items, segs[r].no)
                break
        for r in range(self.header_end, self.end):
            info = infos[r]
            if info.noi_nhan >= 0:
                rest = segs[r].text[info.noi_nhan:]
                rest_info = _classify(Segment(segs[r].no, rest, segs[r].key[info.noi_nhan:], False, False))
                if rest_info.placeholder or rest_info.authority:
                    rest = ""
                items = self._list_after(r, rest, distribution=True)
                if items:
                    self.set("distribution", items, segs[r].no)
                break

    def read_signature(self) -> None:
        segs, infos = self.segs, self.infos
        authority: list[str] = []
        authority_no = 0
        title: tuple[str, int] | None = None
        expect_title = False
        for r in range(self.sig_start, self.end):
            seg = segs[r]
            if seg.blank:
                continue
            info = infos[r]
            if info.noi_nhan >= 0:
                rest = seg.text[info.noi_nhan:]
                info = _classify(Segment(seg.no, rest, seg.key[info.noi_nhan:], False, True))
                if info.authority is None:
                    continue
            if seg.bullet or (info.wkey.startswith("LUU") and not seg.right):
                continue  # a distribution item
            if info.authority is not None:
                printed, family, split_title = info.authority
                if title is None and (not authority or expect_title):
                    if not authority:
                        authority_no = seg.no
                        self.authority_family = family or None
                    authority.append(printed)
                    if split_title:
                        title = (split_title, seg.no)
                    expect_title = True
                continue
            if info.placeholder:
                continue
            if title is None and self.doc.signer is None and info.short:
                if authority and expect_title and info.upper and not info.sig_label and info.mark is None \
                        and len(seg.text) <= 60 and not any(ch.isdigit() for ch in seg.text):
                    title = (seg.text, seg.no)
                    expect_title = False
                    continue
                if not authority and info.title_words:
                    title = (seg.text, seg.no)
                    continue
            expect_title = False
            if info.name:
                self.set("signer", seg.text, seg.no)
                break
        if authority:
            self.set("signing_authority", " ".join(authority), authority_no)
        if title is not None:
            self.set("signer_title", title[0], title[1])

    def read_digital_signature(self) -> None:
        segs, infos = self.segs, self.infos
        anchor = None
        for r in range(self.start, self.end):
            if infos[r].short and (_SIGNED_BY.match(segs[r].key) or _SIGNED_AT.match(segs[r].key)):
                anchor = r
                break
        if anchor is None:
            return
        signature = DigitalSignature()
        window = range(max(self.start, anchor - 2), min(self.end, anchor + 14))
        for r in window:
            seg = segs[r]
            if not infos[r].short:
                continue
            match = _SIGNED_BY.match(seg.key)
            if match is not None and signature.signed_by is None:
                signature.signed_by = self._label_value(r, match.end())
                continue
            match = _ORGANIZATION.match(seg.key)
            if match is not None and signature.organization is None:
                signature.organization = self._label_value(r, match.end())
                continue
            match = _SIGNED_AT.match(seg.key)
            if match is not None and signature.signed_at is None:
                signature.signed_at = self._timestamp(r, match.end())
        if signature.signed_by or signature.organization or signature.signed_at:
            self.set("digital_signature", signature, segs[anchor].no)

    def _label_value(self, row: int, offset: int) -> str | None:
        """The value after 'Ký bởi:' / 'Cơ quan:', continued on the next line when it wraps ('TỈNH ỦY' + 'TÂY NINH')."""
        segs, infos = self.segs, self.infos
        value = segs[row].text[offset:].strip()
        seen = 0
        for r in range(row + 1, min(self.end, row + 5)):
            seg, info = segs[r], infos[r]
            if seg.blank:
                continue
            seen += 1
            if seen > 1 or not info.short:
                break
            plain = (len(seg.text) <= 40 and not info.sig_label and not info.title_words and info.authority is None
                     and info.mark is None and not any(ch.isdigit() or ch == ":" for ch in seg.text))
            if not value and plain and not info.name:
                value = seg.text
            elif value and plain and info.upper and is_upper_text(value):
                value = f"{value} {seg.text}"
            break
        return value or None

    def _timestamp(self, row: int, offset: int) -> datetime | None:
        texts = [self.segs[row].text[offset:]]
        for r in range(row + 1, min(self.end, row + 6)):
            if not self.segs[r].blank:
                texts.append(self.segs[r].text)
                if len(texts) >= 3:
                    break
        for text in texts:
            match = _ISO_TIME.search(text) or _VN_TIME.search(text)
            if match is None:
                continue
            zone = match.group("tz")
            if zone is None:
                return None  # local time without its offset: the UTC instant cannot be known
            try:
                moment = datetime(int(match.group("y")), int(match.group("mo")), int(match.group("d")),
                                  int(match.group("h")), int(match.group("mi")), int(match.group("s") or 0))
                if zone != "Z":
                    sign = 1 if zone[0] == "+" else -1
                    digits = zone[1:].replace(":", "")
                    moment -= sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
            except (ValueError, OverflowError):
                return None
            return moment if 1990 <= moment.year <= 2100 else None
        return None

    def issuer_from_signature(self) -> None:
        """No header: the signing certificate names the unit ('Ký bởi: VĂN PHÒNG' + 'Cơ quan: TỈNH ỦY TÂY NINH')."""
        signature = self.doc.digital_signature
        if self.doc.issuer is not None or signature is None:
            return
        line = self.doc.sources["digital_signature"]
        unit, organization = signature.signed_by, signature.organization
        if unit and looks_like_name(unit):
            unit = None  # signed by a person: the organization is the issuer
        if unit and organization and not unit.upper().endswith(organization.upper()):
            self.set("issuer", f"{unit} {organization}".upper(), line)
        elif unit or organization:
            self.set("issuer", (unit or organization or "").upper(), line)
