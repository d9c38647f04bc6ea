"""registry.demo: synthetic documents for trying the app and for benchmarks."""

from __future__ import annotations

from collections.abc import Callable

from app.core.access import Permission
from app.core.dates import today
from app.services import demo
from app.services.parts.base import Part, requires


class Demo(Part):
    """Fills a register with documents that look real (numbered on from the books, never erasable)."""

    @requires(Permission.REGISTER)
    def fill(self, count: int, year: int | None = None, seed: int = 20231024,
             progress: Callable[[int], None] | None = None, allow_existing: bool = False,
             routed: bool = True) -> demo.DemoResult:
        """Fill an empty register with synthetic documents; routed=False skips routing them (volume only)."""
        return demo.generate(self._session.writing, self._actor, count, year, today(), seed, progress,
                             allow_existing, routed)
