"""Migration 0002 fills old entries' search text with its own frozen copy of the rule: today it must agree with
the app's, and when the app's rule changes this test says so (a new revision must then refill the text)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from app.services.search_text import document_search_text

MIGRATION = Path(__file__).resolve().parents[2] / "app/db/migrations/versions/0002_search_attachments_types.py"


def _frozen():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("migration_0002", MIGRATION)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.search_text_0002


FROZEN = _frozen()
WORDS = st.sampled_from(["Đảng ủy", "05/SYT-VP", "UBND tỉnh Tây Ninh", "Hỏa tốc", "", "Công văn", "0012-CV/TU",
                         "Nguyễn Văn Đức", "V/v  triển khai\tvắc xin", "ĐẾN"])


@given(reference=WORDS, issuer=WORDS, doc_type=WORDS, subject=WORDS, note=WORDS, recipients=st.lists(WORDS,
       max_size=3))
def test_the_frozen_search_text_agrees_with_today_s(reference: str, issuer: str, doc_type: str, subject: str,
                                                      note: str, recipients: list[str]) -> None:
    fields = dict(reference=reference or None, issuer=issuer, doc_type=doc_type, subject=subject, note=note,
                  recipients=recipients)
    assert FROZEN(**fields) == document_search_text(**fields)


def test_the_migration_does_not_import_today_s_search_text() -> None:
    imports = [line for line in MIGRATION.read_text(encoding="utf-8").splitlines()
               if line.lstrip().startswith(("import ", "from "))]
    assert imports and not [line for line in imports if "app.services" in line]
