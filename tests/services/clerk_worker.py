"""Worker process for the two-clerks test: one signed-in clerk registers documents and routes each one."""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.core.records import IncomingInput  # noqa: E402
from app.services import Registry  # noqa: E402


def main() -> None:
    db, user, password, count, go_file = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), Path(sys.argv[5])
    registry = Registry(db, migrate=False)
    registry.sign_in(user, password, "máy của " + user)
    while not go_file.exists():  # start together, so the two clerks really collide
        time.sleep(0.005)
    for i in range(count):
        doc = registry.documents.register_incoming(IncomingInput(
            issuer=f"Cơ quan của {user}", reference=f"{i + 1}/{user.upper()}-VP", issued_on="01/03/2024",
            received_on="02/03/2024", doc_type="Công văn", subject=f"Văn bản {i + 1} do {user} vào sổ"))
        lead, support = ("VP", "TC") if i % 2 else ("TC", "VP")
        registry.routing.route(doc.id, lead, support, deadline=date(2024, 3, 20), directive=f"Giao {lead} chủ trì",
                       directed_by="Giám đốc", directed_at=date(2024, 3, 3))
    registry.close()


if __name__ == "__main__":
    main()
