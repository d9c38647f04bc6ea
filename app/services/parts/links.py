"""registry.links: an entry's links to the document it forwards, replies to or cites, and the forwarding chain."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from app.core.access import Permission
from app.core.enums import LinkType
from app.core.records import ForwardChain, LinkRecord
from app.services import links
from app.services.parts.base import Part, requires


class Links(Part):
    """Links between entries (or to a document the register only knows by its số, ký hiệu)."""

    @requires(Permission.REGISTER)
    def add(self, source_id: int, link_type: LinkType, target: int | str, target_issued_on: date | None = None,
            target_issuer: str | None = None) -> LinkRecord:
        return self._session.write(lambda s: links.add_link(s, self._actor, source_id, link_type, target,
                                                            target_issued_on, target_issuer))

    @requires(Permission.REGISTER)
    def remove(self, link_id: int) -> LinkRecord:
        return self._session.write(lambda s: links.remove_link(s, self._actor, link_id))

    @requires(Permission.VIEW)
    def forward_chain(self, doc_id: int) -> ForwardChain:
        self._session.visible([doc_id])
        with self._session.reading() as s:
            return links.forward_chain(s, doc_id)

    @requires(Permission.VIEW)
    def reply_references(self, target_ids: Sequence[int]) -> dict[int, str]:
        """id -> the số, ký hiệu of the outgoing replies to it (the register book's 'reply' column)."""
        self._session.visible(target_ids)
        with self._session.reading() as s:
            return links.reply_references(s, target_ids)
