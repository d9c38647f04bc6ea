"""registry.fulltext: the whole text of entries (their attachments' text layer or recognised text) and where a
search hit matched."""

from __future__ import annotations

from collections.abc import Sequence

from app.core.access import Permission
from app.models import DocumentBody
from app.services.match_places import match_places
from app.services.parts.base import Part, requires


class FullText(Part):
    """The body is searched together with the entry by registry.documents.search; this part says where."""

    @requires(Permission.VIEW)
    def places(self, typed: str, ids: Sequence[int]) -> dict[int, str]:
        """For the hits among `ids` of the search text `typed`: "trích yếu", "nội dung" or both."""
        self._session.visible(ids)  # whether a body holds a word is itself something only its readers may learn
        with self._session.reading() as s:
            return match_places(s, typed, ids)

    @requires(Permission.VIEW)
    def indexed_characters(self, doc_id: int) -> int:
        """How much attachment text the entry's body index holds (0: none), for the detail pane."""
        self._session.visible([doc_id])
        with self._session.reading() as s:
            row = s.get(DocumentBody, doc_id)
            return len(row.body) if row is not None else 0
