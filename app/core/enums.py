"""Closed vocabularies of the register (directions, families, urgency, secrecy, links...) with Vietnamese labels."""

from __future__ import annotations

from enum import StrEnum

from app.core.text import fold


class LabelledEnum(StrEnum):
    """A StrEnum whose members carry a Vietnamese label and can be parsed from what a clerk types."""

    @property
    def label(self) -> str:
        return _LABELS[self]

    @classmethod
    def parse(cls, text: str) -> LabelledEnum:
        """Accept the code ('thuong_khan'), the label with or without marks ('Thượng khẩn', 'thuong khan')."""
        wanted = fold(text).replace("_", " ").replace("-", " ")
        for member in cls:
            if wanted in (fold(member.value).replace("_", " "), fold(member.label)):
                return member
        raise ValueError(text)

    @classmethod
    def choices_text(cls) -> str:
        return ", ".join(m.label for m in cls)


class Direction(LabelledEnum):
    INCOMING = "incoming"
    OUTGOING = "outgoing"
    COPY = "copy"


class BookCategory(LabelledEnum):
    ORDINARY = "ordinary"
    SECRET = "secret"


class Family(LabelledEnum):
    STATE = "state"
    PARTY = "party"


class NumberingPeriod(LabelledEnum):
    CALENDAR_YEAR = "calendar_year"
    TERM = "term"


class NumberingScope(LabelledEnum):
    SINGLE = "single"
    PER_TYPE = "per_type"


class Urgency(LabelledEnum):
    KHAN = "khan"
    THUONG_KHAN = "thuong_khan"
    HOA_TOC = "hoa_toc"


class Secrecy(LabelledEnum):
    MAT = "mat"
    TOI_MAT = "toi_mat"
    TUYET_MAT = "tuyet_mat"


class Role(LabelledEnum):
    """What a user account may do (app.core.access.ROLE_PERMISSIONS); an account may hold several."""

    VAN_THU = "van_thu"
    LANH_DAO = "lanh_dao"
    CHUYEN_VIEN = "chuyen_vien"
    QUAN_TRI = "quan_tri"


class LinkType(LabelledEnum):
    FORWARDS = "forwards"
    REPLIES_TO = "replies_to"
    CITES = "cites"
    REPLACES = "replaces"
    CORRECTS = "corrects"
    RECALLS = "recalls"


class DocumentStatus(LabelledEnum):
    AWAITING_PRESENTATION = "cho_trinh"
    AWAITING_HANDLING = "cho_xu_ly"
    IN_PROGRESS = "dang_xu_ly"
    HANDLED = "da_xu_ly"
    ANSWERED = "da_tra_loi"
    FILED = "luu_ho_so"
    ISSUED = "da_ban_hanh"


class AssignmentRole(LabelledEnum):
    """A unit's part in handling a routed document: it leads (chủ trì) or supports (phối hợp)."""

    LEAD = "lead"
    SUPPORT = "support"


class Authority(LabelledEnum):
    """Signing authority prefixes; the state form uses a full stop, the Party form a slash (DOMAIN.md §1)."""

    TM = "TM."
    KT = "KT."
    TL = "TL."
    TUQ = "TUQ."
    Q = "Q."
    PARTY_TM = "T/M"
    PARTY_KT = "K/T"
    PARTY_TL = "T/L"


_LABELS: dict[LabelledEnum, str] = {
    Direction.INCOMING: "Văn bản đến",
    Direction.OUTGOING: "Văn bản đi",
    Direction.COPY: "Bản sao",
    BookCategory.ORDINARY: "Thường",
    BookCategory.SECRET: "Mật",
    Family.STATE: "Nhà nước",
    Family.PARTY: "Đảng",
    NumberingPeriod.CALENDAR_YEAR: "Năm dương lịch",
    NumberingPeriod.TERM: "Nhiệm kỳ",
    NumberingScope.SINGLE: "Một dãy số chung",
    NumberingScope.PER_TYPE: "Mỗi loại văn bản một dãy số",
    Urgency.KHAN: "Khẩn",
    Urgency.THUONG_KHAN: "Thượng khẩn",
    Urgency.HOA_TOC: "Hỏa tốc",
    Secrecy.MAT: "Mật",
    Secrecy.TOI_MAT: "Tối mật",
    Secrecy.TUYET_MAT: "Tuyệt mật",
    Role.VAN_THU: "Văn thư",
    Role.LANH_DAO: "Lãnh đạo",
    Role.CHUYEN_VIEN: "Chuyên viên",
    Role.QUAN_TRI: "Quản trị",
    LinkType.FORWARDS: "Sao gửi / chuyển tiếp",
    LinkType.REPLIES_TO: "Trả lời",
    LinkType.CITES: "Căn cứ / viện dẫn",
    LinkType.REPLACES: "Thay thế",
    LinkType.CORRECTS: "Đính chính",
    LinkType.RECALLS: "Thu hồi",
    DocumentStatus.AWAITING_PRESENTATION: "Chờ trình",
    DocumentStatus.AWAITING_HANDLING: "Chờ xử lý",
    DocumentStatus.IN_PROGRESS: "Đang xử lý",
    DocumentStatus.HANDLED: "Đã xử lý",
    DocumentStatus.ANSWERED: "Đã trả lời",
    DocumentStatus.FILED: "Lưu hồ sơ",
    DocumentStatus.ISSUED: "Đã ban hành",
    AssignmentRole.LEAD: "Chủ trì",
    AssignmentRole.SUPPORT: "Phối hợp",
    Authority.TM: "TM.",
    Authority.KT: "KT.",
    Authority.TL: "TL.",
    Authority.TUQ: "TUQ.",
    Authority.Q: "Q.",
    Authority.PARTY_TM: "T/M",
    Authority.PARTY_KT: "K/T",
    Authority.PARTY_TL: "T/L",
}
