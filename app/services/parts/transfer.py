"""registry.transfer: the register to Excel and back (openpyxl loads on first use)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from app.core.access import Permission
from app.core.records import DocumentQuery
from app.services import audit, transfer
from app.services.parts.base import Part, RegisterSession, requires
from app.services.parts.reads import Reads


class Transfer(Part):
    """Export a book as .xlsx; import an old register (.xlsx or .csv) keeping its legal numbers, all rows or none."""

    def __init__(self, session: RegisterSession, reads: Reads):
        super().__init__(session)
        self._reads = reads

    @requires(Permission.REPORT)
    def export_xlsx(self, selection: DocumentQuery | Sequence[int], path: str | Path) -> tuple[Path, int]:
        """Write a book's entries (a query, or ids in that order) to .xlsx, whole or not at all: (file, rows)."""
        written, rows = transfer.export_register(self._reads, selection, path)
        secret = selection.secret if isinstance(selection, DocumentQuery) else \
            any(r.secrecy for r in self._reads.records(list(selection)[:1]))
        if secret:  # a copy of a secret book leaves the register: who, how many entries, which file
            self._session.write(lambda s: audit.record(s, self._actor, "export", "register", None, None,
                                                       {"book": "mật", "rows": rows, "file": str(written)}))
        return written, rows

    @requires(Permission.REGISTER)
    def import_register(self, path: str | Path, book: str | None = None,
                        dry_run: bool = False) -> transfer.ImportReport:
        """Import an old register keeping its numbers: every row in one transaction or none (the report lists
        every error); book None: read from the headings; dry_run: check only, write nothing."""
        return transfer.import_register(self._session.writing, self._actor, self._session.principal.cleared_for,
                                        path, book, dry_run)
