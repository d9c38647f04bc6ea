"""Printing a year's register book (Sổ đăng ký văn bản đến), beside a bare reportlab LongTable of the same rows.

    python bench/bench_register_book.py [--count 20000] [--out DIR]

Each measurement runs in its own forked process, so its peak memory (ru_maxrss) is its own:
1. write_register_book for COUNT synthetic incoming entries, fed by a generator (never a list);
2. the baseline: one LongTable(repeatRows=1, default style but the Vietnamese font) of the same cells (the same
   wrapped text, so the same row heights) and column widths, built from a list as a plain platypus story would.
   The baseline is timed at COUNT/10, then at COUNT with a 60 s limit (stopped past it, and said so).
Both are also timed at COUNT/10 entries: the book's peak memory must not grow with the page count.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.core.enums import BookCategory, Direction, DocumentStatus, Urgency  # noqa: E402
from app.core.records import DocumentRecord  # noqa: E402
from app.printing.common import Agency  # noqa: E402
from app.printing.fonts import register_fonts  # noqa: E402
from app.printing.register_book import RegisterBookRequest, write_register_book  # noqa: E402

YEAR = 2026
LIMIT = 60.0  # seconds the baseline may take at the full count
AGENCY = Agency("SỞ Y TẾ TỈNH TÂY NINH", parent="ỦY BAN NHÂN DÂN TỈNH TÂY NINH", place="Tây Ninh")
ISSUERS = ["UBND tỉnh Tây Ninh", "Văn phòng Tỉnh ủy Tây Ninh", "Sở Tài chính", "Bộ Y tế",
           "Sở Nội vụ tỉnh Tây Ninh", "Bảo hiểm xã hội tỉnh", "Trung tâm Kiểm soát bệnh tật tỉnh",
           "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Tây Ninh", "Bệnh viện Đa khoa tỉnh", "Cục Quản lý Dược"]
NOTATIONS = ["UBND-TH", "VPTU", "STC-HCSN", "BYT-KHTC", "SNV-TCBC", "BHXH-GĐBHYT", "CDC-KHNV", "MTTQ-BTT",
             "BVĐK-TCHC", "QLD-ĐK"]
TYPES = ["Công văn", "Quyết định", "Thông báo", "Kế hoạch", "Báo cáo", "Giấy mời", "Hướng dẫn", "Tờ trình"]
SUBJECTS = [
    "Về việc triển khai thực hiện Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác "
    "văn thư trên địa bàn tỉnh",
    "Về việc tăng cường công tác phòng, chống dịch bệnh sốt xuất huyết, tay chân miệng trong mùa mưa",
    "Về việc báo cáo tình hình thực hiện dự toán ngân sách nhà nước 6 tháng đầu năm và ước thực hiện cả năm",
    "Mời dự hội nghị tổng kết công tác y tế năm và triển khai nhiệm vụ trọng tâm năm tới",
    "Về việc góp ý dự thảo Quyết định ban hành Quy chế quản lý, sử dụng tài sản công",
    "Hướng dẫn quy trình mua sắm thuốc, vật tư y tế theo hình thức đấu thầu tập trung cấp địa phương",
    "Về việc cử cán bộ tham gia lớp bồi dưỡng nghiệp vụ văn thư, lưu trữ",
    "Kế hoạch kiểm tra công tác cải cách hành chính, chuyển đổi số năm",
]
UNITS = ["Phòng Kế hoạch - Tài chính", "Phòng Nghiệp vụ Y", "Văn phòng Sở", "Phòng Tổ chức cán bộ",
         "Thanh tra Sở", "Phòng Nghiệp vụ Dược", "Ông Nguyễn Văn Hùng, Phó Giám đốc"]
STATUSES = list(DocumentStatus)


def record(i: int) -> DocumentRecord:
    """A realistic incoming entry number i (1-based) of the year, about 80 a working day."""
    day = date(YEAR, 1, 2) + timedelta(days=(i - 1) * 360 // 20_000)
    issued = day - timedelta(days=1 + i % 6)
    k = i % len(ISSUERS)
    return DocumentRecord(
        id=i, direction=Direction.INCOMING, book_id=1, book_name="Sổ văn bản đến", category=BookCategory.ORDINARY,
        number=i, period=str(YEAR), registered_on=day, year=YEAR, received_on=day, received_at=None,
        issuer=ISSUERS[k], issuer_id=k, reference=f"{100 + i % 4900}/{NOTATIONS[k]}", doc_number=100 + i % 4900,
        notation=NOTATIONS[k], issued_on=issued, doc_type=TYPES[i % len(TYPES)],
        subject=SUBJECTS[(i * 7) % len(SUBJECTS)], urgency=Urgency.KHAN if i % 23 == 0 else None, secrecy=None,
        pages=1 + i % 5, copies=None, note="Bản điện tử" if i % 5 == 0 else "", file_code="",
        status=STATUSES[i % len(STATUSES)], cancelled=i % 997 == 0, cancelled_at=None,
        cancel_reason="Đăng ký trùng" if i % 997 == 0 else None, signer=None, signer_title=None, authority=None,
        recipients=(), drafting_unit=None, archive_holder=None, reply_due=None,
        created_at=datetime(YEAR, 1, 2, 8, 0), created_by="bench", due_on=day + timedelta(days=10),
        directive=None, recipient_text=UNITS[i % len(UNITS)])


def records(count: int) -> Iterator[DocumentRecord]:
    return (record(i) for i in range(1, count + 1))


def run_book(path: str, count: int) -> int:
    request = RegisterBookRequest(kind="incoming", agency=AGENCY, year=YEAR)
    with open(path, "wb") as out:
        return write_register_book(out, request, records(count))


def run_longtable(path: str, count: int) -> int:
    """The naive way: the whole register as one LongTable with a repeated heading row."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.platypus import LongTable, SimpleDocTemplate

    from app.printing.fonts import SERIF
    from app.printing.register_book import COLUMNS
    from app.printing.register_book_rows import RowSource

    book = RowSource(RegisterBookRequest(kind="incoming", agency=AGENCY, year=YEAR))
    data: list[list[str]] = [[c.heading for c in COLUMNS["incoming"]]]
    for doc in records(count):
        data.extend(["\n".join(lines) for lines in row.cells] for row in book.rows(doc, 10_000))
    table = LongTable(data, colWidths=book.widths, repeatRows=1)
    table.setStyle([("FONT", (0, 0), (-1, -1), SERIF, 10, 12)])
    doc = SimpleDocTemplate(path, pagesize=landscape(A4), leftMargin=20 * mm, rightMargin=10 * mm,
                            topMargin=12 * mm, bottomMargin=15 * mm)
    doc.build([table])
    return int(doc.page)


def _child(fn: Callable[[str, int], int], path: str, count: int, conn: Any) -> None:
    start_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    pages = fn(path, count)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    conn.send((seconds, pages, start_rss, peak))
    conn.close()


def measure(fn: Callable[[str, int], int], path: Path, count: int,
            limit: float | None = None) -> tuple[float, int, int, int] | None:
    """(seconds, pages, rss at start KiB, peak rss KiB) of fn in a fresh fork; None if not done within limit s."""
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(fn, str(path), count, child))
    proc.start()
    child.close()
    if not parent.poll(limit):
        proc.kill()  # only our own child, by its handle
        proc.join()
        return None
    try:
        result = parent.recv()
    except EOFError:
        proc.join()
        raise SystemExit(f"{fn.__name__} failed in the child process (exit code {proc.exitcode})") from None
    proc.join()
    return result


def line(label: str, count: int, result: tuple[float, int, int, int], size: int) -> str:
    seconds, pages, start, peak = result
    return (f"{label:<34} {count:>7,} entries  {seconds:7.2f} s  {pages:>5} pages  "
            f"{count / seconds:8,.0f} entries/s  peak RSS {peak / 1024:6.0f} MiB (+{(peak - start) / 1024:.0f} "
            f"over the start)  {size / 1e6:.1f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--out", type=Path, default=None, help="keep the PDFs in this folder")
    args = parser.parse_args()
    folder = args.out or Path(tempfile.mkdtemp(prefix="bench_book_"))
    folder.mkdir(parents=True, exist_ok=True)
    count = args.count

    register_fonts()  # loaded before forking: the children's memory growth is the printing alone
    print(f"Sổ đăng ký văn bản đến, A4 ngang, {count:,} entries (Python {sys.version.split()[0]})")
    book_pdf = folder / "book.pdf"
    base_pdf = folder / "longtable.pdf"
    small = max(count // 10, 100)
    ours = 0.0
    for n in (small, count):
        result = measure(run_book, book_pdf, n)
        assert result is not None
        print(line("write_register_book", n, result, book_pdf.stat().st_size))
        ours = result[0]
    base_small = measure(run_longtable, base_pdf, small)
    assert base_small is not None
    print(line("baseline LongTable (repeatRows=1)", small, base_small, base_pdf.stat().st_size))
    base = measure(run_longtable, base_pdf, count, limit=LIMIT)
    if base is not None:
        print(line("baseline LongTable (repeatRows=1)", count, base, base_pdf.stat().st_size))
        print(f"write_register_book is {base[0] / ours:.1f}x faster than the baseline at {count:,} entries")
    else:
        print(f"baseline LongTable at {count:,} entries: not finished after {LIMIT:.0f} s, stopped; "
              f"see its figures at {small:,} entries above")
    if args.out is None:
        for pdf in (book_pdf, base_pdf):
            pdf.unlink(missing_ok=True)
        folder.rmdir()


if __name__ == "__main__":
    main()
