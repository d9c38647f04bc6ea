"""Save a workbook into an open file so that a failed save (a full disk) leaves nothing that writes to it later."""

from __future__ import annotations

import contextlib
import datetime
from typing import BinaryIO
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter


def save(book: Workbook, out: BinaryIO) -> None:
    """Workbook.save, with the zip archive in our hands: when writing fails, the archive is let go (openpyxl would
    otherwise try to finish it when collected, into a file already closed, and print a traceback at exit) and the
    write-only sheets finish their temporary parts, which openpyxl keeps in the system's temp folder."""
    if book.write_only and not book.worksheets:
        book.create_sheet()
    archive = ZipFile(out, "w", ZIP_DEFLATED, allowZip64=True)
    book.properties.modified = datetime.datetime.now(tz=datetime.UTC).replace(tzinfo=None)
    try:
        ExcelWriter(book, archive).save()
    except BaseException:
        archive.fp = None  # ZipFile.close() then does nothing
        for sheet in book.worksheets:
            with contextlib.suppress(Exception):
                sheet.close()  # write-only sheets only; a finished sheet refuses, which is fine
            with contextlib.suppress(Exception):
                sheet._writer.cleanup()
        raise
