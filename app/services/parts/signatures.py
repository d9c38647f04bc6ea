"""registry.signatures: checking electronic signatures (NĐ 30 Điều 21) and the agency's own (Điều 3.2, Phụ lục I)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from app.core.access import Permission
from app.core.enums import LinkType
from app.core.records import OutgoingInput, SignatureCheckRecord
from app.services import attachments as attachment_store
from app.services import issuing, links, queries, registration, signature_checks, signature_store
from app.services import settings as agency_settings
from app.services.parts.base import Part, requires


def local_day(moment: datetime) -> date:
    """The day of `moment` on this computer's calendar, the one the register's dates are checked against
    (the signature's time is Vietnam time; a computer set to another zone would otherwise sign 'tomorrow')."""
    return moment.astimezone().date()


class Signatures(Part):
    """pyHanko is loaded on first use (app.signatures), never at start-up."""

    @requires(Permission.VIEW)
    def check_file(self, path: str | Path, strict: bool = True) -> Any:
        """Every signature of a PDF (app.signatures.verify.VerifyReport), checked with the register's trust store;
        nothing is written. Not `strict`: a damaged PDF claiming no signature reads as unsigned."""
        with self._session.reading() as s:
            return signature_checks.check_path(s, path, strict)

    @requires(Permission.REGISTER)
    def recheck(self, attachment_id: int) -> SignatureCheckRecord:
        """Check a stored attachment again (today's trust store and CRLs) and keep the new check beside the old."""
        from app.signatures.verify import verify_file

        folder = attachment_store.data_folder(self._session.url)
        with self._session.reading() as s:
            path = attachment_store.attachment_path(s, folder, attachment_id)
            report = verify_file(path, signature_store.trust_ders(s), signature_store.crl_ders(s))
        return self._session.write(lambda s: signature_store.store_check(s, self._actor, attachment_id, report))

    @requires(Permission.VIEW)
    def latest(self, attachment_ids: Sequence[int]) -> dict[int, SignatureCheckRecord]:
        with self._session.reading() as s:
            return signature_store.latest_checks(s, attachment_ids)

    @requires(Permission.VIEW)
    def history(self, attachment_id: int) -> list[SignatureCheckRecord]:
        with self._session.reading() as s:
            return signature_store.checks_of(s, attachment_id)

    @requires(Permission.VIEW)
    def states(self, doc_ids: Sequence[int]) -> dict[int, str]:
        """doc id → the worst state of its attached files' signatures, for the table's icon column."""
        self._session.visible(doc_ids)
        with self._session.reading() as s:
            return signature_store.document_states(s, doc_ids)

    # signing
    def _appearance(self, draft: Path, doc: Any, attachment: bool, moment: Any, lines: tuple[str, ...] = ()) -> Any:
        from app.signatures import placement, signing, verdicts

        if lines or attachment:
            return signing.Appearance(placement.top_right_box(draft),
                                      lines=lines or (doc.reference or "", verdicts.iso(moment)))
        with self._session.reading() as s:
            image, size = issuing.seal_settings(s)
        if not image:
            raise issuing.refuse("seal", "Ảnh con dấu", "chưa chọn ảnh con dấu (Cài đặt → Cơ quan → Ảnh con dấu, "
                                 "hoặc settings set agency.seal_image TỆP.png).")
        seal = signing.load_seal(Path(image), float(size) if size else None)
        return signing.Appearance(placement.seal_box(draft, doc.signer or "", (seal.width, seal.height)), seal=seal)

    def _sign(self, draft: Path, output: Path, key: Any, appearance: Any, moment: Any) -> tuple[Path, Any, Any]:
        from app.signatures import signing
        from app.signatures.certificates import common_name, organization
        from app.signatures.verify import verify_file

        with self._session.reading() as s:
            agency = agency_name(s)
            trust, crls = signature_store.trust_ders(s), signature_store.crl_ders(s)
        partial = issuing.partial_path(output)
        cert = signing.sign_pdf(draft, partial, key, agency, appearance, moment)
        report = verify_file(partial, trust, crls)
        if not report.signatures or not report.signatures[-1].intact:
            issuing.discard(partial)
            raise issuing.refuse("output", "Tệp kết quả", f"tệp vừa ký không qua được kiểm tra: {report.verdict}")
        return partial, report, (common_name(cert.subject), organization(cert.subject))

    @requires(Permission.REGISTER)
    def sign(self, doc_id: int, draft: str | Path, output: str | Path, key: Any, attachment: bool = False,
             moment: Any = None) -> issuing.Issued:
        """Sign an outgoing entry's PDF as the agency (the seal over the signer's signature, or, for a văn bản
        kèm theo, the top-right text), attach the signed file to the entry and check it. Nothing is written at
        `output`, and nothing in the register, unless all of it succeeded."""
        source, target = issuing.check_draft(draft), Path(output).expanduser()
        with self._session.reading() as s:
            doc = queries.get_document(s, doc_id, with_links=False)
        issuing.require_issuable(doc)
        moment = moment or issuing.moment_now()
        appearance = self._appearance(source, doc, attachment, moment)
        partial, report, (signer, org) = self._sign(source, target, key, appearance, moment)
        try:
            stored = issuing.store_signed(attachment_store.data_folder(self._session.url), partial, target)
            record, check = self._session.write(lambda s: issuing.finish(
                s, self._actor, doc_id, stored, target, report, "sign",
                {"kind": "attachment" if attachment else "main", "signer": signer, "organization": org}))
            issuing.publish(partial, target)
        finally:
            issuing.discard(partial)
        with self._session.reading() as s:
            doc = queries.get_document(s, doc_id, with_links=False)
        return issuing.Issued(target, doc, record, check, signer, org)

    @requires(Permission.REGISTER)
    def make_copy(self, original_id: int, form: str, source_file: str | Path, output: str | Path, key: Any,
                  signer: str = "", moment: Any = None) -> issuing.Issued:
        """An electronic copy (sao y, sao lục, trích sao) of a registered document: a numbered entry in the copy
        book linked to the original, the file signed by the agency with the copy's text at the top right of page
        1 (hình thức sao, tên cơ quan, thời gian ký), attached and checked — all or nothing."""
        from app.signatures import verdicts

        if form not in issuing.COPY_FORMS:
            raise issuing.refuse("form", "Hình thức sao", f"'{form}' không hợp lệ; chọn sao-y, sao-luc hoặc "
                                 "trich-sao.")
        source, target = issuing.check_draft(source_file, "Văn bản cần sao"), Path(output).expanduser()
        with self._session.reading() as s:
            original = queries.get_document(s, original_id, with_links=False)
            agency = agency_name(s)
        if original.cancelled:
            raise issuing.refuse("number", "Số", f"văn bản {original.reference or original.number} đã bị hủy.")
        self._session.check_clearance(original.secrecy)
        moment = moment or issuing.moment_now()
        doc_type, label = issuing.COPY_FORMS[form]
        lines = (label, agency, verdicts.iso(moment))
        appearance = self._appearance(source, original, True, moment, lines)
        partial, report, (cert_signer, org) = self._sign(source, target, key, appearance, moment)
        data = OutgoingInput(doc_type=doc_type, subject=issuing.copy_subject(original, form),
                             signer=signer or cert_signer, signed_on=local_day(moment),
                             secrecy=original.secrecy.value if original.secrecy else None,
                             urgency=original.urgency.value if original.urgency else None)

        def register(s: Any) -> tuple[Any, Any, Any]:
            copy = registration.register_outgoing(s, self._actor, data)
            links.add_link(s, self._actor, copy.id, LinkType.FORWARDS, original_id)
            record, check = issuing.finish(s, self._actor, copy.id, stored, target, report, "sign",
                                           {"kind": form, "original": original_id, "signer": cert_signer,
                                            "organization": org})
            return copy, record, check

        try:
            stored = issuing.store_signed(attachment_store.data_folder(self._session.url), partial, target)
            copy, record, check = self._session.write(register)
            issuing.publish(partial, target)
        finally:
            issuing.discard(partial)
        with self._session.reading() as s:
            copy = queries.get_document(s, copy.id, with_links=False)
        return issuing.Issued(target, copy, record, check, cert_signer, org)



def agency_name(session: Any) -> str:
    return agency_settings.agency(session).name
