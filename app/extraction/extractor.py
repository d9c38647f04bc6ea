"""Text in, Extraction out: split a bundle into documents and read each one's register fields, never guessing."""

from __future__ import annotations

import unicodedata

from app.extraction.citations import CitationReader, _read_stamp
from app.extraction.classify import _classify
from app.extraction.closing import ClosingReader
from app.extraction.header import HeaderReader
from app.extraction.normalize import split_segments
from app.extraction.ocr_slips import clean_slips
from app.extraction.records import Citation, ExtractedDocument, Extraction
from app.extraction.splitting import _split


class _Reader(HeaderReader, ClosingReader, CitationReader):
    """Reads one document of a bundle: header, lists and signature, digital signature, body, family."""


def _is_empty(doc: ExtractedDocument) -> bool:
    return not any((doc.reference, doc.issuer, doc.doc_type, doc.subject, doc.issued_on, doc.signer,
                    doc.signer_title, doc.signing_authority, doc.recipients, doc.distribution,
                    doc.digital_signature, doc.cites))


def _normalise_input(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    for separator in ("\r\n", "\r", "\f", "\v", "\u2028", "\u2029", "\x85"):
        text = text.replace(separator, "\n")
    return clean_slips(text)  # line by line: the line numbers in `sources` stay those of the input


def _extract(text: str, into: Extraction) -> None:
    segs = split_segments(_normalise_input(text))
    infos = [_classify(seg) for seg in segs]
    into.received_stamp = _read_stamp(segs)
    for start, end in _split(segs, infos):
        reader = _Reader(segs, infos, start, end)
        reader.read_header()
        reader.find_signature_zone()
        reader.read_lists()
        reader.read_signature()
        reader.read_digital_signature()
        reader.issuer_from_signature()
        reader.read_body()
        reader.read_family()
        if not _is_empty(reader.doc):
            into.documents.append(reader.doc)
    _check_cited_dates(into.documents)


def _check_cited_dates(documents: list[ExtractedDocument]) -> None:
    """A document is never dated after one that cites it (a cover letter and the document it forwards): such a
    date is a misread ("2023" read "2025"), replaced by the date the citing document prints for it when that one
    is possible, else left empty."""
    citing: dict[str, list[tuple[ExtractedDocument, Citation]]] = {}
    for other in documents:
        for cite in other.cites:
            citing.setdefault(cite.reference.casefold(), []).append((other, cite))
    for doc in documents:
        if doc.reference is None or doc.issued_on is None:
            continue
        for other, cite in citing.get(doc.reference.casefold(), ()):
            if other is doc or other.issued_on is None or doc.issued_on <= other.issued_on:
                continue
            if cite.issued_on is not None and cite.issued_on <= other.issued_on and cite.line is not None:
                doc.issued_on = cite.issued_on
                doc.sources["issued_on"] = cite.line
            else:
                doc.issued_on = None
                doc.sources.pop("issued_on", None)
            break


def extract(text: str) -> Extraction:
    """Read every document of a pasted text, .txt or PDF text layer. Never raises: an unreadable part stays empty."""
    result = Extraction()
    try:
        _extract(text if isinstance(text, str) else str(text), result)
    except Exception:  # noqa: BLE001 - a reading aid must never stop the clerk; what was read so far is kept
        return result
    return result
