"""Synthetic but realistic register entries in bulk, for trying the app and measuring it at 1,000,000 documents."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from app.core.enums import BookCategory, Direction, DocumentStatus, Family, LinkType, NumberingPeriod, Urgency
from app.core.errors import ValidationError
from app.core.references import build_reference, parse_reference, reference_key, type_abbreviation
from app.db.upsert import dialect_insert
from app.models import Document, DocumentLink, NumberSequence, RegisterBook
from app.services import audit, books, demo_routing, directory
from app.services import settings as agency_settings
from app.services.search_text import document_search_text

CHUNK = 20_000  # rows per transaction: short write locks, bounded memory

# (name, abbreviation used in its ký hiệu, family)
ISSUERS = [
    ("Tỉnh ủy Tây Ninh", "TU", Family.PARTY), ("Văn phòng Tỉnh ủy Tây Ninh", "VPTU", Family.PARTY),
    ("Ban Tuyên giáo Tỉnh ủy Tây Ninh", "BTGTU", Family.PARTY), ("Ban Tổ chức Tỉnh ủy Tây Ninh", "BTCTU", Family.PARTY),
    ("Đảng ủy Khối các cơ quan tỉnh Tây Ninh", "ĐUK", Family.PARTY),
    ("Ủy ban Kiểm tra Tỉnh ủy", "UBKTTU", Family.PARTY),
    ("UBND tỉnh Tây Ninh", "UBND", Family.STATE), ("Văn phòng UBND tỉnh Tây Ninh", "VP", Family.STATE),
    ("HĐND tỉnh Tây Ninh", "HĐND", Family.STATE), ("Bộ Y tế", "BYT", Family.STATE),
    ("Bộ Nội vụ", "BNV", Family.STATE), ("Bộ Tài chính", "BTC", Family.STATE),
    ("Bộ Giáo dục và Đào tạo", "BGDĐT", Family.STATE), ("Sở Nội vụ tỉnh Tây Ninh", "SNV", Family.STATE),
    ("Sở Tài chính tỉnh Tây Ninh", "STC", Family.STATE), ("Sở Kế hoạch và Đầu tư tỉnh Tây Ninh", "SKHĐT", Family.STATE),
    ("Sở Giáo dục và Đào tạo tỉnh Tây Ninh", "SGDĐT", Family.STATE), ("Sở Tư pháp tỉnh Tây Ninh", "STP", Family.STATE),
    ("Sở Lao động - Thương binh và Xã hội", "SLĐTBXH", Family.STATE), ("Bảo hiểm xã hội tỉnh Tây Ninh", "BHXH",
                                                                         Family.STATE),
    ("Công an tỉnh Tây Ninh", "CAT", Family.STATE), ("UBND huyện Châu Thành", "UBND", Family.STATE),
    ("UBND thành phố Tây Ninh", "UBND", Family.STATE), ("Bệnh viện Đa khoa tỉnh Tây Ninh", "BVĐK", Family.STATE),
    ("Trung tâm Kiểm soát bệnh tật tỉnh", "CDC", Family.STATE), ("Liên đoàn Lao động tỉnh Tây Ninh", "LĐLĐ",
                                                                 Family.STATE),
]
INCOMING_TYPES = ["Công văn"] * 10 + ["Thông báo"] * 3 + ["Kế hoạch"] * 3 + ["Quyết định"] * 3 + [
    "Báo cáo", "Giấy mời", "Giấy mời", "Hướng dẫn", "Chỉ thị", "Nghị quyết", "Tờ trình", "Công điện"]
OUTGOING_TYPES = ["Công văn"] * 8 + ["Quyết định"] * 3 + ["Báo cáo"] * 2 + ["Kế hoạch", "Thông báo", "Tờ trình",
                                                                              "Giấy mời"]
TOPICS = [
    "phòng, chống dịch sốt xuất huyết", "chuyển đổi số trong cơ quan nhà nước", "cải cách hành chính",
    "công tác thi đua, khen thưởng", "phòng cháy, chữa cháy", "tuyển dụng viên chức", "bảo hiểm y tế toàn dân",
    "an toàn vệ sinh thực phẩm", "tiêm chủng mở rộng", "công tác dân vận", "học tập và làm theo tư tưởng Hồ Chí Minh",
    "thực hành tiết kiệm, chống lãng phí", "quyết toán ngân sách", "đào tạo, bồi dưỡng cán bộ", "an ninh mạng",
    "quản lý tài sản công", "kiểm tra, giám sát của Đảng", "đại hội Đảng bộ các cấp", "xây dựng nông thôn mới",
    "phòng, chống tham nhũng, tiêu cực", "công tác bảo vệ bí mật nhà nước", "lưu trữ hồ sơ điện tử",
]
# Trích yếu written the way each type of document words it.
SUBJECTS: dict[str, list[str]] = {
    "Công văn": ["V/v triển khai {t} năm {y}", "Về việc tăng cường {t}", "V/v góp ý dự thảo văn bản về {t}",
                 "V/v đôn đốc báo cáo {t}", "Sao gửi văn bản về {t}", "V/v cử cán bộ tham gia tập huấn {t}"],
    "Thông báo": ["Kết luận của Thường trực Tỉnh ủy về {t}", "Kết quả {t} quý {q} năm {y}",
                  "Ý kiến chỉ đạo của Lãnh đạo UBND tỉnh về {t}"],
    "Kế hoạch": ["Thực hiện {t} năm {y}", "Triển khai {t} giai đoạn {y}-{y2}", "Kiểm tra {t} năm {y}"],
    "Quyết định": ["Về việc thành lập Tổ công tác {t}", "Ban hành Quy chế {t}", "Về việc khen thưởng {t} năm {y}"],
    "Báo cáo": ["Kết quả {t} quý {q} năm {y}", "Sơ kết 6 tháng đầu năm {y} về {t}", "Tổng kết {t} năm {y}"],
    "Giấy mời": ["Dự hội nghị sơ kết {t}", "Dự họp bàn về {t}", "Dự lớp tập huấn {t}"],
    "Hướng dẫn": ["Thực hiện {t}", "Tổ chức {t} năm {y}"],
    "Chỉ thị": ["Về tăng cường {t}", "Về nâng cao hiệu quả {t}"],
    "Nghị quyết": ["Về {t} giai đoạn {y}-{y2}", "Về lãnh đạo {t}"],
    "Tờ trình": ["Đề nghị phê duyệt kế hoạch {t}", "Đề nghị bổ sung kinh phí {t}"],
    "Công điện": ["Về việc tập trung {t}", "Về việc khẩn trương {t}"],
}
SIGNERS = [("Nguyễn Văn An", "Giám đốc"), ("Trần Thị Bích", "Phó Giám đốc"), ("Lê Hoàng Minh", "Phó Giám đốc"),
           ("Phạm Thu Hà", "Chánh Văn phòng")]
UNITS = ["VP", "TCCB", "KHTC", "NVY", "TTra"]


@dataclass(frozen=True)
class DemoResult:
    incoming: int
    outgoing: int
    links: int
    years: tuple[int, ...]
    routings: int = 0  # routing steps written (a few documents are routed twice)


def _dates(rng: random.Random, count: int, year: int | None, today: date) -> list[date]:
    if year is not None:
        start, end = date(year, 1, 1), min(date(year, 12, 31), today)
    else:
        start, end = date(today.year - 4, 1, 1), today
    span = (end - start).days
    picked = [start + timedelta(days=rng.randint(0, span)) for _ in range(count)]
    # Few documents arrive at weekends.
    return sorted(max(start, d if d.weekday() < 5 else d - timedelta(days=d.weekday() - 4)) for d in picked)


def generate(session_factory: Callable[[], object], actor: str, count: int, year: int | None, today: date,
             seed: int = 20231024, progress: Callable[[int], None] | None = None,
             allow_existing: bool = False, routed: bool = True) -> DemoResult:
    """Add `count` documents (about 80 % incoming, 20 % outgoing), numbered after what the register already has;
    most incoming ones are routed to the agency's units (created when it has none), see demo_routing.

    session_factory() must return a context manager giving one write transaction; each chunk commits on its own
    so a 1,000,000-document run never holds the write lock for long, and the counters always match the rows.
    routed=False leaves every incoming entry unrouted (Chờ trình): registers for tests that only need volume."""
    rng = random.Random(seed)
    outgoing_count = count // 5
    plan = [(Direction.INCOMING, d) for d in _dates(rng, count - outgoing_count, year, today)]
    plan += [(Direction.OUTGOING, d) for d in _dates(rng, outgoing_count, year, today)]
    with session_factory() as session:  # type: ignore[attr-defined]
        existing = session.scalar(select(func.count()).select_from(Document))
        if existing and not allow_existing:
            # Register entries are never deleted: synthetic ones mixed into a real register would stay forever.
            raise ValidationError.single("count", "Dữ liệu mẫu", (
                f"cơ sở dữ liệu này đã có {existing} văn bản; dữ liệu mẫu không xóa được nên chỉ tạo trong một "
                "cơ sở dữ liệu trống (dùng --db TỆP_MỚI, hoặc --force nếu thật sự muốn trộn)."))
        context = _prepare(session, actor, seed)
        context.routed = routed
    done = links = steps = 0
    for start in range(0, len(plan), CHUNK):
        with session_factory() as session:  # type: ignore[attr-defined]
            made = _insert_chunk(session, rng, context, plan[start:start + CHUNK], today)
        links, steps = links + made[0], steps + made[1]
        done += len(plan[start:start + CHUNK])
        if progress:
            progress(done)
    with session_factory() as session:  # type: ignore[attr-defined]
        audit.record(session, actor, "demo_data", "register", None, None,
                     {"documents": count, "year": year, "seed": seed})
    years = tuple(sorted({d.year for _, d in plan}))
    return DemoResult(count - outgoing_count, outgoing_count, links, years, steps)


@dataclass
class _Context:
    actor: str
    family: Family
    abbreviation: str
    issuers: list[tuple[int, str, str, Family]]
    books: dict[Direction, RegisterBook]
    routing: demo_routing.RoutingContext
    # Routings draw from their own stream, so the documents of a seed stay the same whatever routing does.
    routing_rng: random.Random
    routed: bool = True


def _prepare(session: Session, actor: str, seed: int) -> _Context:
    agency = agency_settings.agency(session)
    if not agency.name:
        for key, value in (("agency.name", "SỞ Y TẾ TỈNH TÂY NINH"), ("agency.abbreviation", "SYT"),
                           ("agency.parent", "UBND TỈNH TÂY NINH"), ("agency.family", "state"),
                           ("agency.place", "Tây Ninh")):
            agency_settings.set_setting(session, actor, key, value)
        agency = agency_settings.agency(session)
    issuers = []
    for name, abbr, family in ISSUERS:
        org = directory.get_or_create_organization(session, actor, name, family)
        issuers.append((org.id, org.name, abbr, family))
    book_of = {d: books.open_book(session, actor, d, BookCategory.ORDINARY, agency.family)
               for d in (Direction.INCOMING, Direction.OUTGOING)}
    routing_context = demo_routing.prepare(session, actor, agency.name, agency.family, INCOMING_TYPES,
                                           [name for name, title in SIGNERS if "Giám đốc" in title])
    session.flush()
    session.expunge_all()
    return _Context(actor, agency.family, agency.abbreviation or "CQ", issuers, book_of, routing_context,
                    random.Random(f"routing-{seed}"))


def _last_numbers(session: Session, direction: Direction) -> dict[tuple[str, str], int]:
    rows = session.execute(select(NumberSequence.period_key, NumberSequence.scope_key, NumberSequence.last_number)
                           .where(NumberSequence.direction == direction,
                                  NumberSequence.category == BookCategory.ORDINARY))
    return {(p, s): n for p, s, n in rows}


def _insert_chunk(session: Session, rng: random.Random, ctx: _Context, plan: list[tuple[Direction, date]],
                  today: date) -> tuple[int, int]:
    """Insert one chunk's documents, then its routings; returns (links, routing steps) made."""
    counters = {d: _last_numbers(session, d) for d in (Direction.INCOMING, Direction.OUTGOING)}
    start = {d: dict(c) for d, c in counters.items()}
    rows: list[dict[str, object]] = []
    routings: list[list[demo_routing.Step]] = []  # per incoming row, in insertion order
    for direction, day in plan:
        book = ctx.books[direction]
        if book.period is NumberingPeriod.TERM:
            continue  # a Party term book numbers by term; demo data keeps to calendar years
        rows.append(_incoming_row(rng, ctx, day) if direction is Direction.INCOMING
                    else _outgoing_row(rng, ctx, day))
        row = rows[-1]
        key = (str(day.year), str(row["scope_key"]))
        counters[direction][key] = counters[direction].get(key, 0) + 1
        row["number"] = counters[direction][key]
        if direction is Direction.INCOMING and not ctx.routed:
            row.pop("_topic")
            routings.append([])
        elif direction is Direction.INCOMING:
            routings.append(demo_routing.plan_document(ctx.routing_rng, ctx.routing, row, str(row.pop("_topic")),
                                                       today))
        else:
            row["reference"] = build_reference(int(row["number"]), ctx.family, ctx.abbreviation,
                                               row.pop("_abbr"), str(row["drafting_unit"]))  # type: ignore[arg-type]
            row["reference_key"] = reference_key(str(row["reference"]))
            row["doc_number"] = row["number"]
            row["notation"] = parse_reference(str(row["reference"])).notation
            row["search_text"] = document_search_text(
                reference=str(row["reference"]), issuer=None, doc_type=str(row["doc_type"]),
                subject=str(row["subject"]), signer=str(row["signer"]), recipients=row["recipients"],  # type: ignore
                drafting_unit=str(row["drafting_unit"]))
    if not rows:
        return 0, 0
    # Core executemany, one statement per direction: every row of a kind has the same keys.
    for direction in (Direction.INCOMING, Direction.OUTGOING):
        same = [r for r in rows if r["direction"] is direction]
        if same:
            session.execute(insert(Document.__table__), same)
    for direction, numbers in counters.items():
        for (period, scope), last in numbers.items():
            if start[direction].get((period, scope)) != last:
                _set_counter(session, direction, period, scope, last)
    # The chunk's incoming documents got the newest ids, in insertion order (one writer: the lock is ours).
    ids = list(session.scalars(select(Document.id).where(Document.direction == Direction.INCOMING)
                               .order_by(Document.id.desc()).limit(len(routings))))
    steps = demo_routing.insert_routings(session, ctx.routing, [
        (doc_id, planned) for doc_id, planned in zip(reversed(ids), routings, strict=True) if planned])
    return _link_some(session, rng, ctx, ids), steps


def _set_counter(session: Session, direction: Direction, period: str, scope: str, last: int) -> None:
    statement = dialect_insert(session, NumberSequence).values(
        direction=direction.value, category=BookCategory.ORDINARY.value, period_key=period, scope_key=scope,
        last_number=last).on_conflict_do_update(index_elements=["direction", "category", "period_key", "scope_key"],
                                                 set_={"last_number": last})
    session.execute(statement)


def _subject(rng: random.Random, doc_type: str, day: date) -> tuple[str, str]:
    """A trích yếu and the topic it is about (the topic decides which unit usually handles it)."""
    template, topic = rng.choice(SUBJECTS[doc_type]), rng.choice(TOPICS)
    return template.format(t=topic, y=day.year, y2=day.year + 2, q=(day.month - 1) // 3 + 1), topic


def _urgency(rng: random.Random) -> Urgency | None:
    roll = rng.random()
    return Urgency.HOA_TOC if roll < 0.01 else Urgency.THUONG_KHAN if roll < 0.03 else Urgency.KHAN if roll < 0.08 \
        else None


def _incoming_row(rng: random.Random, ctx: _Context, day: date) -> dict[str, object]:
    issuer_id, issuer_name, abbr, family = rng.choice(ctx.issuers)
    doc_type = rng.choice(INCOMING_TYPES)
    issued_on = day - timedelta(days=rng.randint(0, 6))
    number = rng.randint(1, 4000)
    type_abbr = type_abbreviation(doc_type, family)
    if family is Family.PARTY:
        reference = f"{number:02d}-{type_abbr or 'CV'}/{abbr}"
    else:
        reference = f"{number:02d}/{type_abbr}-{abbr}" if type_abbr else f"{number:02d}/{abbr}-{rng.choice(UNITS)}"
    parsed = parse_reference(reference)
    subject, topic = _subject(rng, doc_type, day)
    cancelled = rng.random() < 0.003
    return {
        "book_id": ctx.books[Direction.INCOMING].id, "direction": Direction.INCOMING,
        "category": BookCategory.ORDINARY, "period_key": str(day.year), "scope_key": "", "registered_on": day,
        "year": day.year, "received_on": day, "issuer_id": issuer_id, "reference": reference,
        "reference_key": reference_key(reference), "doc_number": parsed.number, "notation": parsed.notation,
        "issued_on": issued_on, "doc_type": doc_type, "subject": subject, "urgency": _urgency(rng),
        "pages": rng.randint(1, 12), "note": "", "file_code": "",
        # Status, due_on, recipient_text and directive: set from the routing (demo_routing.plan_document).
        "status": DocumentStatus.AWAITING_PRESENTATION, "due_on": None, "recipient_text": None, "directive": None,
        "cancelled_at": datetime.combine(day, time(9, 30)) if cancelled else None,  # UTC, as utcnow() stores
        "cancelled_by": ctx.actor if cancelled else None,
        "cancel_reason": "Vào sổ nhầm, đã vào sổ lại" if cancelled else None, "created_by": ctx.actor,
        "search_text": document_search_text(reference=reference, issuer=issuer_name, doc_type=doc_type,
                                            subject=subject),
        "_topic": topic,
    }


def _outgoing_row(rng: random.Random, ctx: _Context, day: date) -> dict[str, object]:
    doc_type = rng.choice(OUTGOING_TYPES)
    type_abbr = type_abbreviation(doc_type, ctx.family)
    signer, title = rng.choice(SIGNERS)
    book = ctx.books[Direction.OUTGOING]
    scope = (type_abbr or "cong van") if book.scope.value == "per_type" else ""
    recipients = rng.sample(["UBND tỉnh", "Sở Nội vụ", "Các phòng chức năng", "Bệnh viện Đa khoa tỉnh",
                             "Trung tâm Y tế các huyện", "Lưu: VT"], 3)
    return {
        "book_id": book.id, "direction": Direction.OUTGOING, "category": BookCategory.ORDINARY,
        "period_key": str(day.year), "scope_key": scope, "registered_on": day, "year": day.year,
        "issued_on": day, "doc_type": doc_type, "subject": _subject(rng, doc_type, day)[0], "urgency": _urgency(rng),
        "pages": rng.randint(1, 8), "copies": rng.randint(2, 20), "note": "", "file_code": "",
        "status": DocumentStatus.ISSUED, "signer": signer, "signer_title": title, "recipients": recipients,
        # As registration writes it (upper case): the ký hiệu of an outgoing entry is built from it.
        "drafting_unit": rng.choice(UNITS).upper(), "archive_holder": "VT, VP", "created_by": ctx.actor,
        "_abbr": type_abbr,
    }


def _link_some(session: Session, rng: random.Random, ctx: _Context, ids: list[int]) -> int:
    """About 2 % of the chunk's incoming documents (ids, newest first) forward an earlier one (as Tỉnh ủy → UBND
    → Sở chains do)."""
    links = [{"source_id": doc_id, "link_type": LinkType.FORWARDS, "target_id": parent, "created_by": ctx.actor}
             for doc_id in ids if rng.random() < 0.02 and (parent := rng.choice(ids)) < doc_id]
    if links:
        session.execute(insert(DocumentLink), links)
    return len(links)
