"""Worker process for the concurrency tests: registers COUNT incoming documents into one database."""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.core.records import IncomingInput  # noqa: E402
from app.services import Registry  # noqa: E402


def main() -> None:
    db, worker, count, go_file = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4])
    registry = Registry(db, actor=f"worker{worker}", migrate=False)
    while not go_file.exists():  # start together, so the writers really collide
        time.sleep(0.005)
    for i in range(count):
        registry.documents.register_incoming(IncomingInput(
            issuer=f"Cơ quan {worker}", reference=f"{i + 1}/W{worker}-VP", issued_on="01/03/2024",
            received_on="02/03/2024", doc_type="Công văn", subject=f"Văn bản {i + 1} của tiến trình {worker}"))
    registry.close()


if __name__ == "__main__":
    main()
