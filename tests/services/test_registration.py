"""Registering, validating, deduplicating, editing and linking documents on a real SQLite file."""

from __future__ import annotations

from datetime import date, time

import pytest

from app.core.enums import BookCategory, Direction, DocumentStatus, LinkType, Secrecy, Urgency
from app.core.errors import DuplicateError, NotFoundError, ValidationError
from app.core.records import IncomingInput, OutgoingInput
from app.services import Registry

pytestmark = pytest.mark.both_engines


def sample(**changes: object) -> IncomingInput:
    base = dict(issuer="SỞ Y TẾ", reference="3646 /SYT-VP", issued_on="24/10/2023", received_on="24/10/23",
                doc_type="công văn", subject="Tham mưu thực hiện Thông báo số 1737-TB/VPTU ngày 22/9/2023")
    return IncomingInput(**{**base, **changes})  # type: ignore[arg-type]


def test_incoming_record_keeps_every_field(state_registry: Registry) -> None:
    doc = state_registry.documents.register_incoming(sample(received_at="08:15", urgency="Thượng khẩn", pages="3",
                                                  copies=2, note="Bản gốc", file_code="01.VP"))
    again = state_registry.documents.get(doc.id)
    assert again == doc
    assert (doc.number, doc.direction, doc.category) == (1, Direction.INCOMING, BookCategory.ORDINARY)
    assert (doc.received_on, doc.received_at, doc.issued_on) == (date(2023, 10, 24), time(8, 15), date(2023, 10, 24))
    assert (doc.issuer, doc.reference, doc.doc_number, doc.notation) == ("SỞ Y TẾ", "3646/SYT-VP", 3646, "SYT-VP")
    assert (doc.doc_type, doc.urgency, doc.pages, doc.copies) == ("Công văn", Urgency.THUONG_KHAN, 3, 2)
    assert (doc.note, doc.file_code, doc.status, doc.created_by) == ("Bản gốc", "01.VP",
                                                                     DocumentStatus.AWAITING_PRESENTATION,
                                                                     "van_thu_test")


def test_every_bad_field_is_reported_at_once_and_nothing_is_written(state_registry: Registry) -> None:
    with pytest.raises(ValidationError) as caught:
        state_registry.documents.register_incoming(sample(issuer=" ", issued_on="31/02/2024", subject="x" * 2001,
                                                secrecy="bí mật", pages="-1"))
    messages = {e.field: str(e) for e in caught.value.errors}
    assert messages["issuer"] == "Tác giả (cơ quan ban hành): không được để trống."
    assert messages["issued_on"] == "Ngày văn bản: '31/02/2024' không phải là ngày có thật."
    assert messages["subject"] == "Trích yếu: dài 2001 ký tự, tối đa 2000 ký tự."
    assert messages["secrecy"].startswith("Độ mật: 'bí mật' không hợp lệ; chọn một trong: Mật, Tối mật")
    assert messages["pages"].startswith("Số trang: -1 nằm ngoài khoảng")
    assert state_registry.documents.list(Direction.INCOMING, 2023) == []
    assert [e.action for e in state_registry.audit.events(entity="document")] == []


@pytest.mark.parametrize("changes, field, text", [
    (dict(issued_on="25/10/2023"), "issued_on", "Ngày văn bản: 25/10/2023 sau ngày đến 24/10/2023."),
    (dict(received_on="01/01/2999"), "received_on", "là ngày trong tương lai"),
    (dict(reference=""), "reference", "Số, ký hiệu: không được để trống."),
    (dict(doc_type=""), "doc_type", "Tên loại: không được để trống."),
    (dict(reference="1/" + "X" * 120), "reference", "tối đa 100 ký tự"),
    (dict(received_at="25:61"), "received_at", "Giờ đến"),
    (dict(issued_on="01/01/1800"), "issued_on", "quá xa"),
])
def test_single_bad_fields(state_registry: Registry, changes: dict[str, str], field: str, text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        state_registry.documents.register_incoming(sample(**changes))
    assert [e.field for e in caught.value.errors] == [field]
    assert text in str(caught.value)


def test_duplicate_is_refused_unless_confirmed(state_registry: Registry) -> None:
    first = state_registry.documents.register_incoming(sample())
    with pytest.raises(DuplicateError) as caught:
        state_registry.documents.register_incoming(sample(issuer="Sở Y tế", reference="3646/syt-vp",
                                                          received_on="25/10/2023"))
    assert "đã vào sổ (số đến 1 ngày 24/10/2023)" in str(caught.value)
    assert [d.id for d in caught.value.existing] == [first.id]  # type: ignore[attr-defined]
    # Another date or another issuer is another document.
    assert state_registry.documents.register_incoming(sample(issued_on="23/10/2023")).number == 2
    assert state_registry.documents.register_incoming(sample(issuer="SỞ TƯ PHÁP")).number == 3
    confirmed = state_registry.documents.register_incoming(sample(), allow_duplicate=True)
    assert confirmed.number == 4
    # A cancelled entry no longer blocks registering the document properly.
    state_registry.documents.cancel(first.id, "nhầm")
    state_registry.documents.cancel(confirmed.id, "nhầm")
    assert state_registry.documents.register_incoming(sample()).number == 5


def test_issuers_are_deduplicated_by_folded_name(state_registry: Registry) -> None:
    a = state_registry.documents.register_incoming(sample(issuer="Ủy ban nhân dân tỉnh Tây Ninh",
                                                          reference="1/UBND-TH"))
    b = state_registry.documents.register_incoming(sample(issuer="ỦY BAN NHÂN DÂN TỈNH TÂY NINH",
                                                          reference="2/UBND-TH"))
    c = state_registry.documents.register_incoming(sample(issuer="Tỉnh ủy Tây Ninh", reference="3-CV/TU"))
    assert a.issuer_id == b.issuer_id != c.issuer_id
    found = {o.name: o for o in state_registry.directory.organizations("uy ban nhan dan")}
    assert list(found) == ["Ủy ban nhân dân tỉnh Tây Ninh"]
    assert state_registry.directory.organizations("tinh uy")[0].family.value == "party"


def test_outgoing_state_numbering_and_fields(state_registry: Registry) -> None:
    cv = state_registry.documents.register_outgoing(OutgoingInput(
        doc_type="Công văn", unit="vp", subject="Về việc báo cáo", signer="Trương Văn Hùng",
        signer_title="PHÓ GIÁM ĐỐC", authority="kt", recipients="- Như trên;\n- Lưu: VT, VP.", copies="5",
        signed_on="02/01/2024", reply_due="10/01/2024", archive_holder="VT, VP"))
    qd = state_registry.documents.register_outgoing(OutgoingInput(doc_type="Quyết định", subject="Về việc khen thưởng",
                                                        signer="Trương Văn Hùng", signed_on="03/01/2024"))
    copy = state_registry.documents.register_outgoing(OutgoingInput(doc_type="Bản sao y", subject="Sao y Quyết định",
                                                          signer="Nguyễn Thị B", signed_on="03/01/2024"))
    assert (cv.reference, cv.number, cv.authority, cv.recipients) == ("01/SYT-VP", 1, "KT.",
                                                                      ("Như trên", "Lưu: VT, VP."))
    assert (cv.copies, cv.reply_due, cv.drafting_unit, cv.status) == (5, date(2024, 1, 10), "VP",
                                                                      DocumentStatus.ISSUED)
    assert qd.reference == "02/QĐ-SYT"  # one sequence for all types in a state agency
    assert (copy.reference, copy.direction) == ("01/SY-SYT", Direction.COPY)  # copies have their own sequence
    secret = state_registry.documents.register_outgoing(OutgoingInput(doc_type="Báo cáo", subject="Mật", signer="A",
                                                            secrecy="mật", signed_on="03/01/2024"))
    assert (secret.reference, secret.secrecy) == ("01/BC-SYT", Secrecy.MAT)


def test_outgoing_refusals(registry: Registry, state_registry: Registry) -> None:
    with pytest.raises(ValidationError, match="Đơn vị soạn thảo"):
        state_registry.documents.register_outgoing(OutgoingInput(doc_type="Công văn", subject="x", signer="A"))
    with pytest.raises(ValidationError, match="không có trong danh mục"):
        state_registry.documents.register_outgoing(OutgoingInput(doc_type="Thư mời họp", subject="x", signer="A"))
    with pytest.raises(ValidationError, match="Thẩm quyền ký: 'K/T' không hợp lệ|Thẩm quyền ký"):
        state_registry.documents.register_outgoing(OutgoingInput(doc_type="Quyết định", subject="x", signer="A",
                                                       authority="thay mặt"))
    with pytest.raises(ValidationError, match="Hạn trả lời"):
        state_registry.documents.register_outgoing(OutgoingInput(doc_type="Quyết định", subject="x", signer="A",
                                                       signed_on="05/01/2024", reply_due="04/01/2024"))
    assert state_registry.documents.list(Direction.OUTGOING, 2024) == []


def test_outgoing_needs_the_agency_abbreviation(registry: Registry) -> None:
    with pytest.raises(ValidationError, match="Chữ viết tắt tên cơ quan: chưa cài đặt"):
        registry.documents.register_outgoing(OutgoingInput(doc_type="Quyết định", subject="x", signer="A"))


def test_party_signing_forms(party_registry: Registry) -> None:
    doc = party_registry.documents.register_outgoing(OutgoingInput(doc_type="Thông báo", subject="Kết luận", signer="B",
                                                         authority="TM.", signed_on="05/01/2024"))
    assert (doc.reference, doc.authority) == ("01-TB/TU", "T/M")
    with pytest.raises(ValidationError, match="Thẩm quyền ký: 'TUQ.' không hợp lệ"):
        party_registry.documents.register_outgoing(OutgoingInput(doc_type="Thông báo", subject="x", signer="B",
                                                       authority="TUQ."))


def test_settings_are_validated_and_audited(registry: Registry) -> None:
    with pytest.raises(ValidationError, match="Khối"):
        registry.settings.set("agency.family", "công ty")
    with pytest.raises(ValidationError, match="Chữ viết tắt"):
        registry.settings.set("agency.abbreviation", "S Y T")
    with pytest.raises(ValidationError, match="không có; các khóa"):
        registry.settings.set("agency.colour", "đỏ")
    assert registry.settings.set("agency.family", "Đảng") == "party"
    events = registry.audit.events(entity="setting")
    assert [(e.before, e.after) for e in events] == [({"agency.family": None}, {"agency.family": "party"})]


def test_edit_is_validated_protected_and_audited(state_registry: Registry) -> None:
    doc = state_registry.documents.register_incoming(sample())
    edited = state_registry.documents.update(doc.id, {"subject": "Trích yếu đã sửa", "pages": "4"})
    assert (edited.subject, edited.pages, edited.number) == ("Trích yếu đã sửa", 4, 1)
    event = state_registry.audit.events(entity="document", entity_id=doc.id)[0]
    assert (event.action, event.before, event.after) == ("edit", {"subject": doc.subject, "pages": None},
                                                         {"subject": "Trích yếu đã sửa", "pages": 4})
    with pytest.raises(ValidationError, match="không chuyển sang năm khác"):
        state_registry.documents.update(doc.id, {"received_on": "02/01/2024"})
    with pytest.raises(ValidationError, match="hai sổ khác nhau"):
        state_registry.documents.update(doc.id, {"secrecy": "mật"})
    with pytest.raises(ValidationError, match="Ngày văn bản"):
        state_registry.documents.update(doc.id, {"issued_on": "30/10/2023"})
    assert state_registry.documents.get(doc.id).subject == "Trích yếu đã sửa"
    out = state_registry.documents.register_outgoing(OutgoingInput(doc_type="Quyết định", subject="x", signer="A"))
    with pytest.raises(ValidationError, match="không sửa được sau khi đã cấp số"):
        state_registry.documents.update(out.id, {"doc_type": "Công văn"})
    assert state_registry.documents.update(out.id, {"signer_title": "GIÁM ĐỐC"}).signer_title == "GIÁM ĐỐC"
    state_registry.documents.cancel(doc.id, "nhầm")
    with pytest.raises(ValidationError, match="đã hủy"):
        state_registry.documents.update(doc.id, {"subject": "y"})


def test_forward_chain_links_and_pending_references(state_registry: Registry) -> None:
    syt = state_registry.documents.register_incoming(sample())
    # The cover letter forwards a UBND letter not registered yet, and cites a Tỉnh ủy notice.
    pending = state_registry.links.add(syt.id, LinkType.FORWARDS, "Số: 5068 /UBND-TH", date(2023, 9, 28))
    cite = state_registry.links.add(syt.id, LinkType.CITES, "1737-TB/VPTU", date(2023, 9, 22), "Văn phòng Tỉnh ủy")
    assert not pending.resolved and pending.target_reference == "5068/UBND-TH"
    assert "chưa có trong sổ" in cite.other_label
    ubnd = state_registry.documents.register_incoming(sample(issuer="ỦY BAN NHÂN DÂN TỈNH TÂY NINH",
                                                             reference="5068/UBND-TH",
                                                   issued_on="28/09/2023"))
    tu = state_registry.documents.register_incoming(sample(issuer="VĂN PHÒNG TỈNH ỦY TÂY NINH",
                                                           reference="1737-TB/VPTU",
                                                 issued_on="22/09/2023", doc_type="Thông báo"))
    links = {link.link_type: link for link in state_registry.documents.get(syt.id).links}
    assert links[LinkType.FORWARDS].target_id == ubnd.id and links[LinkType.FORWARDS].resolved
    assert links[LinkType.CITES].target_id == tu.id
    state_registry.links.add(ubnd.id, LinkType.FORWARDS, tu.id)
    with pytest.raises(ValidationError, match="vòng lặp"):
        state_registry.links.add(tu.id, LinkType.FORWARDS, syt.id)
    with pytest.raises(ValidationError, match="đã có"):
        state_registry.links.add(ubnd.id, LinkType.FORWARDS, tu.id)
    with pytest.raises(ValidationError, match="chính nó"):
        state_registry.links.add(tu.id, LinkType.CITES, tu.id)
    with pytest.raises(NotFoundError):
        state_registry.links.add(999, LinkType.CITES, tu.id)
    # The target sees who points at it.
    assert [(link.source_id, link.link_type) for link in state_registry.documents.get(tu.id).links] == [
        (syt.id, LinkType.CITES), (ubnd.id, LinkType.FORWARDS)]


def test_reference_with_other_date_does_not_resolve(state_registry: Registry) -> None:
    doc = state_registry.documents.register_incoming(sample())
    state_registry.links.add(doc.id, LinkType.CITES, "12/UBND-TH", date(2023, 1, 5))
    state_registry.documents.register_incoming(sample(reference="12/UBND-TH", issued_on="06/01/2023", issuer="UBND"))
    assert not state_registry.documents.get(doc.id).links[0].resolved


def test_ambiguous_reference_asks_for_a_date(state_registry: Registry) -> None:
    doc = state_registry.documents.register_incoming(sample())
    state_registry.documents.register_incoming(sample(reference="7/UBND-TH", issued_on="01/02/2023", issuer="UBND A"))
    state_registry.documents.register_incoming(sample(reference="7/UBND-TH", issued_on="01/03/2023", issuer="UBND B"))
    with pytest.raises(ValidationError, match="có 2 văn bản số 7/UBND-TH"):
        state_registry.links.add(doc.id, LinkType.CITES, "7/UBND-TH")
    assert state_registry.links.add(doc.id, LinkType.CITES, "7/UBND-TH", date(2023, 3, 1)).resolved


def test_edit_cannot_turn_an_entry_into_a_duplicate(state_registry: Registry) -> None:
    state_registry.documents.register_incoming(sample())
    other = state_registry.documents.register_incoming(sample(reference="3647/SYT-VP"))
    with pytest.raises(DuplicateError):
        state_registry.documents.update(other.id, {"reference": "3646/SYT-VP"})
    assert state_registry.documents.get(other.id).reference == "3647/SYT-VP"
    confirmed = state_registry.documents.update(other.id, {"reference": "3646/SYT-VP"}, allow_duplicate=True)
    assert confirmed.reference == "3646/SYT-VP"
    assert state_registry.documents.update(other.id, {"subject": "Sửa trích yếu"}, allow_duplicate=True).number == 2


def test_cited_issuer_matches_a_longer_or_shorter_name_only(state_registry: Registry) -> None:
    doc = state_registry.documents.register_incoming(sample())
    state_registry.links.add(doc.id, LinkType.CITES, "1737-TB/VPTU", date(2023, 9, 22), "Văn phòng Tỉnh ủy")
    state_registry.links.add(doc.id, LinkType.CITES, "15/QĐ-UBND", date(2023, 10, 1), "UBND tỉnh Tây Ninh")
    state_registry.documents.register_incoming(sample(issuer="UBND HUYỆN CHÂU THÀNH", reference="15/QĐ-UBND",
                                            issued_on="01/10/2023"))
    tu = state_registry.documents.register_incoming(sample(issuer="VĂN PHÒNG TỈNH ỦY TÂY NINH",
                                                           reference="1737-TB/VPTU",
                                                 issued_on="22/09/2023"))
    resolved = {link.target_reference: link.target_id for link in state_registry.documents.get(doc.id).links}
    assert resolved == {"1737-TB/VPTU": tu.id, "15/QĐ-UBND": None}
