"""Background work for the window: database reads run on a worker thread and report back on the UI thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class _Relay(QObject):
    """Lives on the UI thread; its signals carry a worker's result back across threads (queued)."""

    done = Signal(object)
    failed = Signal(object)
    progress = Signal(int, int)  # (done, total): a long job's figures, relayed in order before its result


class _Job(QRunnable):
    def __init__(self, work: Callable[..., Any], relay: _Relay, reporting: bool = False) -> None:
        super().__init__()
        # Python owns the job, not the pool: a failure's traceback keeps this frame (and so `self`) alive on the
        # UI thread, and freeing a wrapper whose C++ side the pool had already auto-deleted crashed the process.
        self.setAutoDelete(False)
        self.work, self.relay, self.reporting = work, relay, reporting

    def run(self) -> None:
        try:
            # A reporting job is handed the relay's emit: the figures cross to the UI thread queued, like results.
            result = self.work(self.relay.progress.emit) if self.reporting else self.work()
        except Exception as exc:  # noqa: BLE001 - reported to the window, which shows it in Vietnamese
            self.relay.failed.emit(exc)
        else:
            self.relay.done.emit(result)


class BackgroundTasks(QObject):
    """Runs reads off the UI thread so the window never freezes, one at a time in submission order (like
    Anki's collection operations): results arrive in order and a new query never races an older one."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self._pending: dict[_Relay, _Job] = {}

    def run(self, work: Callable[..., Any], on_done: Callable[[Any], None],
            on_error: Callable[[Exception], None] | None = None,
            on_progress: Callable[[int, int], None] | None = None) -> None:
        """Run `work()` on the worker; with `on_progress`, run `work(report)` where report(done, total) may be
        called from the worker as often as it likes and reaches on_progress on the UI thread."""
        relay = _Relay(self)
        job = _Job(work, relay, reporting=on_progress is not None)
        self._pending[relay] = job
        if on_progress is not None:
            relay.progress.connect(on_progress)

        def finish(callback: Callable[[Any], None] | None, value: Any) -> None:
            self._pending.pop(relay, None)
            relay.deleteLater()
            if callback is not None:
                callback(value)

        relay.done.connect(lambda value: finish(on_done, value))
        relay.failed.connect(lambda exc: finish(on_error, exc))
        self.pool.start(job)

    def busy(self) -> bool:
        return bool(self._pending)

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until queued work has run (tests, closing the window)."""
        return self.pool.waitForDone(msecs)
