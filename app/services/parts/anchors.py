"""registry.anchors: the audit chain's head copied outside the database, and the chain checked against such copies."""

from __future__ import annotations

from pathlib import Path

from app.core.access import Permission
from app.core.errors import VanThuError
from app.services import anchors
from app.services.chain_anchor import (
    AnchorNote,
    ChainComparison,
    ChainHead,
    anchor_path,
    append_anchor,
    read_anchor_file,
)
from app.services.parts.base import Part, open_to_all, requires


class Anchors(Part):
    """Anchors make a rewritten or cut audit chain visible: a backup, an anchor file, a code on signed paper."""

    @open_to_all("a count and a hash say nothing about any entry; every register book and handover list prints it")
    def head(self) -> ChainHead:
        with self._session.reading() as s:
            return anchors.head(s)

    @open_to_all("the anchor is a safety copy made for everyone at the end of a session, like the daily backup")
    def write(self) -> AnchorNote | None:
        """Add the chain's head to the anchor file in the folder of setting audit.anchor_dir (when set), after
        checking that the chain still extends what the file anchored. Never raises: returns a note for the
        status bar (a warning when the chain does not extend the file, or the folder cannot be written), or
        None when nothing was to be done."""
        if self._session.read_only is not None:
            return None  # nothing can have been added to the chain, and its uid cannot be recorded
        try:
            with self._session.reading() as s:
                folder = anchors.anchor_folder(s)
            if folder is None:
                return None
            uid = self._session.write(lambda s: anchors.ensure_uid(s, self._actor))
            path = anchor_path(folder, uid)
            if path.exists():
                _header, entries = read_anchor_file(path)
                with self._session.reading() as s:
                    check = anchors.against_entries(s, f"tệp neo {path}", entries)
                if not check.ok:
                    return AnchorNote(f"CẢNH BÁO — nhật ký không nối tiếp bản neo, chưa ghi neo mới: {check.message}",
                                      warning=True)
            with self._session.reading() as s:
                current = anchors.head(s)
            written = append_anchor(folder, uid, self._session.location, current)
        except (OSError, ValueError, VanThuError) as exc:
            return AnchorNote(f"Chưa ghi được neo nhật ký vào thư mục đã chọn: {exc}", warning=True)
        return None if written is None else AnchorNote(f"Đã ghi neo nhật ký {current.code} vào {written}")

    @requires(Permission.AUDIT)
    def check(self, target: str | Path) -> ChainComparison:
        """Does the chain extend this backup (.vanthu), anchor file (.json) or printed code ('#N, 16 hex')?"""
        with self._session.reading() as s:
            return anchors.against(s, target)

    @requires(Permission.AUDIT)
    def check_newest_backup(self) -> ChainComparison | None:
        """Against the newest backup beside the register (None: there is none); the audit view shows it."""
        with self._session.reading() as s:
            return anchors.newest_backup(s, self._session.url)
