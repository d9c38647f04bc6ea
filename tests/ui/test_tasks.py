"""Background tasks: work runs off the UI thread, results and a service's progress figures come back on it."""

from __future__ import annotations

import threading

from app.services import Registry
from app.ui.tasks import BackgroundTasks


def test_a_service_s_progress_reaches_the_ui_thread_in_order(qtbot, state_registry: Registry) -> None:  # type: ignore[no-untyped-def]
    state_registry.demo.fill(60, 2025)  # audit events to walk: verify reports after each block it checked
    tasks = BackgroundTasks()
    seen: list[tuple[int, bool]] = []
    results: list[object] = []
    ui_thread = threading.current_thread()
    tasks.run(lambda report: state_registry.audit.verify(progress=report), results.append,
              on_progress=lambda n: seen.append((n, threading.current_thread() is ui_thread)))
    qtbot.waitUntil(lambda: bool(results), timeout=30_000)
    check = results[0]
    assert check.ok  # type: ignore[attr-defined]
    assert seen and all(on_ui for _, on_ui in seen)
    assert [n for n, _ in seen] == sorted(n for n, _ in seen) and seen[-1][0] == check.count  # type: ignore[attr-defined]


def test_a_failure_comes_back_as_the_exception(qtbot, state_registry: Registry) -> None:  # type: ignore[no-untyped-def]
    tasks = BackgroundTasks()
    errors: list[Exception] = []
    tasks.run(lambda: state_registry.documents.get(999), lambda _r: None, errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=10_000)
    assert "999" in str(errors[0])
