"""registry.printouts: the ĐẾN stamp, routing slips, receipts, handover sheets and register books, as PDF files."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from app.core.access import Permission
from app.services import audit, printouts
from app.services.handover_days import handover_days
from app.services.parts.base import Part, RegisterSession, requires
from app.services.parts.reads import Reads


class Printouts(Part):
    """Each printout is written whole or not at all; printing a secret entry goes into the audit trail."""

    def __init__(self, session: RegisterSession, reads: Reads):
        super().__init__(session)
        self._reads = reads

    def _printed(self, printout: str, doc_ids: Sequence[int], path: Path) -> Path:
        """Who printed which secret entry, what and to which file."""
        secret = [r.id for r in self._reads.records(list(doc_ids)) if r.secrecy]
        if secret:
            def work(s: Session) -> None:
                for doc_id in secret:
                    audit.record(s, self._actor, "print", "document", doc_id, None,
                                 {"printout": printout, "file": str(path)})

            self._session.write(work)
        return path

    @requires(Permission.PRINT)
    def stamps(self, doc_ids: Sequence[int], path: str | Path, sheet: bool = False) -> Path:
        """ĐẾN stamps on 50×35 mm labels (one page each), or on A4 sheets of labels."""
        return self._printed("dấu đến", doc_ids, printouts.print_stamps(self._reads, doc_ids, path, sheet))

    @requires(Permission.PRINT)
    def stamp_on_scan(self, doc_id: int, scan: str | Path | None, path: str | Path) -> Path:
        """A copy of the scan (by default the attached PDF) whose first page carries the filled stamp."""
        return self._printed("dấu đến trên bản quét", [doc_id],
                             printouts.print_stamp_on_scan(self._reads, doc_id, scan, path))

    @requires(Permission.PRINT)
    def slip(self, doc_id: int, path: str | Path) -> Path:
        return self._printed("phiếu giải quyết", [doc_id], printouts.print_slip(self._reads, doc_id, path))

    @requires(Permission.PRINT)
    def receipt(self, doc_ids: Sequence[int], path: str | Path, sender: str = "") -> Path:
        return self._printed("giấy biên nhận", doc_ids, printouts.print_receipt(self._reads, doc_ids, path, sender))

    @requires(Permission.PRINT)
    def handover(self, unit: str, doc_ids: Sequence[int] | None, path: str | Path) -> Path:
        """doc_ids None: the documents routed to the unit and not yet signed for."""
        if doc_ids is None and unit.strip():
            doc_ids = self._reads.awaiting_handover(unit)[1] or None  # none: print_handover says so
        return self._printed("sổ chuyển giao", doc_ids or [],
                             printouts.print_handover(self._reads, unit, doc_ids, path))

    def _handover_days(self, doc_ids: Sequence[int]) -> dict[int, date]:
        """Column (8) Ngày chuyển of the incoming book: each entry's first ký nhận (entries the book prints)."""
        self._session.visible(doc_ids)
        with self._session.reading() as s:
            return handover_days(s, doc_ids)

    @requires(Permission.PRINT)
    def register(self, register: printouts.RegisterRange, path: str | Path) -> tuple[Path, int, int]:
        """A register book for a year and range: (file, entries printed, pages)."""
        printed = printouts.print_register(self._reads, register, path, self._handover_days)
        if register.secret:  # one event for the book: printing it is printing every entry in the range
            self._session.write(lambda s: audit.record(s, self._actor, "print", "register", None, None, {
                "printout": "sổ đăng ký mật", "book": register.kind, "year": register.year,
                "entries": printed[1], "file": str(printed[0])}))
        return printed
