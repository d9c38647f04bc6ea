"""Opens every window and dialog the menus open (and the registration form with a pasted bundle and the duplicate
banner, and every settings page) on the offscreen screen it is started on, saves a screenshot of each and prints, as
JSON, what does not fit: a frame past the screen's available area, laid-out widgets over one another or cut by their
parent, wrapped text taller than its room. test_dialogs_fit runs it in a subprocess per screen size and scale."""

from __future__ import annotations

import json
import re
import sys
from datetime import date
from pathlib import Path

SAMPLE = Path(__file__).resolve().parents[2].parent / "shared" / "samples" / "incoming_forward_chain.txt"


def laid_out(layout) -> list:  # type: ignore[no-untyped-def]
    """The widgets a layout places, through its nested layouts."""
    found = []
    for i in range(layout.count()):
        item = layout.itemAt(i)
        if item.widget() is not None:
            found.append(item.widget())
        elif item.layout() is not None:
            found += laid_out(item.layout())
    return found


def problems(dialog) -> list[str]:  # type: ignore[no-untyped-def]
    """What does not fit in `dialog` as it is shown now."""
    from PySide6.QtWidgets import QWidget

    said: list[str] = []
    area, frame = dialog.screen().availableGeometry(), dialog.frameGeometry()
    if not area.contains(frame):
        said.append(f"khung {frame.getRect()} ra ngoài màn hình {area.getRect()}")

    def name(w) -> str:  # type: ignore[no-untyped-def]
        text = getattr(w, "text", lambda: "")() if hasattr(w, "text") else ""
        return f"{type(w).__name__}«{str(text)[:30]}»" if text else f"{type(w).__name__}#{w.objectName()}"

    for parent in [dialog, *dialog.findChildren(QWidget)]:
        if not parent.isVisible() or parent.layout() is None:
            continue
        shown = [w for w in laid_out(parent.layout()) if w.isVisible()]
        room = parent.rect()
        for i, w in enumerate(shown):
            g = w.geometry()
            if not room.adjusted(-1, -1, 1, 1).contains(g):
                said.append(f"{name(w)} {g.getRect()} bị cắt bởi {name(parent)} {room.getRect()}")
            if w.hasHeightForWidth() and w.heightForWidth(g.width()) > g.height() + 2:
                said.append(f"{name(w)} cao {g.height()} mà chữ cần {w.heightForWidth(g.width())}")
            for other in shown[i + 1:]:
                overlap = g.intersected(other.geometry())
                if overlap.width() > 1 and overlap.height() > 1:
                    said.append(f"{name(w)} {g.getRect()} đè lên {name(other)} {other.geometry().getRect()}")
    return said


def main(db: str, out: str) -> int:
    import shiboken6
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication, QDialog

    app = QApplication(sys.argv[:1])
    from app.core.enums import Direction
    from app.core.records import IncomingInput, OutgoingInput
    from app.services import Registry
    from app.ui import launcher
    from app.ui.main_window import MainWindow
    from app.ui.register_dialog import RegisterDialog

    launcher._application()  # the application as `vanthu gui` prepares it (Vietnamese, dialogs on screen)
    reg = Registry(db)
    for key, value in (("agency.name", "VĂN PHÒNG HĐND VÀ UBND HUYỆN HÒA THÀNH"), ("agency.abbreviation", "VP"),
                       ("agency.parent", "UBND HUYỆN HÒA THÀNH"), ("agency.family", "state"),
                       ("clerk.name", "Nguyễn Thị Lan")):
        reg.settings.set(key, value)
    reg.directory.add_department("Phòng Kế hoạch – Tài chính", "KHTC")
    incoming = reg.documents.register_incoming(IncomingInput(
        issuer="UBND tỉnh Tây Ninh", reference="12/UBND-VP", issued_on="02/12/2026", received_on="03/12/2026",
        doc_type="Công văn", subject="Về việc triển khai kế hoạch phòng chống thiên tai"))
    reg.routing.route(incoming.id, "KHTC", directive="Giao Phòng Kế hoạch – Tài chính tham mưu",
                      directed_at=date(2026, 12, 3))
    outgoing = reg.documents.register_outgoing(OutgoingInput(doc_type="Quyết định", subject="Khen thưởng",
                                                             signer="Trương Văn Hùng", signed_on="04/12/2026"))
    window = MainWindow(reg)
    window.showMaximized()  # as the launcher opens it on a small screen (window_geometry)
    window.wait_loaded()
    shots, seen = Path(out), []  # type: ignore[var-annotated]

    def settle(rounds: int = 8) -> None:
        for _ in range(rounds):
            app.processEvents()

    def look(dialog, what: str) -> None:  # type: ignore[no-untyped-def]
        settle()
        slug = re.sub(r"\W+", "-", what.lower()).strip("-")[:60] or "hop-thoai"
        path = shots / f"{len(seen):02d}-{slug}.png"
        dialog.grab().save(str(path))
        seen.append({"what": what, "shot": str(path), "problems": problems(dialog),
                     "frame": list(dialog.frameGeometry().getRect())})

    busy = []  # harvest runs from the timer inside the dialogs' own loops too: never inside itself

    def harvest() -> None:
        if busy:
            return
        busy.append(True)
        try:
            for w in QApplication.topLevelWidgets():
                if shiboken6.isValid(w) and w is not window and w.isVisible() and isinstance(w, QDialog):
                    read_and_close(w)
        finally:
            busy.clear()

    def read_and_close(w) -> None:  # type: ignore[no-untyped-def]
        if True:
            look(w, w.windowTitle() or type(w).__name__)
            if hasattr(w, "tabs") and hasattr(w, "agency_page"):  # the settings: every page
                for index in range(1, w.tabs.count()):
                    w.tabs.setCurrentIndex(index)
                    look(w, f"{w.windowTitle()} - {w.tabs.tabText(index).replace('&', '')}")
            QDialog.done(w, 0)  # closed unasked: what is measured here is the layout, not the questions

    from PySide6.QtCore import QTimer

    timer = QTimer()
    timer.timeout.connect(harvest)
    timer.start(50)
    for key, action in window.menus.by_key.items():
        if key in {"quit", "reload", "search"} or not action.isEnabled():
            continue
        window.select_document(outgoing.id if key in ("sign", "copy") else incoming.id)
        window.wait_loaded()
        action.trigger()
        for _ in range(6):
            settle(2)
            harvest()
    for action in window.menus.print_actions:
        window.select_document(incoming.id)
        window.wait_loaded()
        if action.isEnabled():
            action.trigger()
            settle(4)
            harvest()
    timer.stop()

    # The dialogs the menus do not open: from the detail pane (links, correcting a routing step), signing an
    # outgoing document, and the first start's accounts.
    from app.ui.link_dialog import LinkDialog
    from app.ui.route_dialog import RouteDialog
    from app.ui.sign_dialog import SignDialog
    from app.ui.sign_in_dialog import FirstAdminDialog, SignInDialog

    steps = reg.routing.history(incoming.id)
    for made, what in ((lambda: LinkDialog(reg, incoming, window), "Liên kết văn bản"),
                       (lambda: RouteDialog(reg, incoming, steps, window, correcting=steps[-1]), "Sửa bước xử lý"),
                       (lambda: SignDialog(reg, outgoing, window.tasks, False, window), "Ký số văn bản đi"),
                       (lambda: FirstAdminDialog(reg, window), "Tạo tài khoản quản trị"),
                       (lambda: SignInDialog(reg, window), "Đăng nhập")):
        other = made()
        other.show()
        look(other, what)
        QDialog.done(other, 0)

    # The form as a pasted 3-level bundle leaves it (notes and the tree of planned links), then refused as a
    # duplicate of the entry just made from the same paper (the banner under the rows).
    dialog = RegisterDialog(reg, Direction.INCOMING, window)
    dialog._confirm_discard = lambda: True  # type: ignore[method-assign]
    dialog.show()
    QGuiApplication.clipboard().setText(SAMPLE.read_text(encoding="utf-8"))
    dialog.text_fill.paste()
    look(dialog, "Vào sổ văn bản đến - dán tập văn bản")
    dialog.text_fill.unchecked_accepted = True
    first = dialog.save(close=False)
    dialog.text_fill.paste()
    dialog.text_fill.unchecked_accepted = True
    dialog.save(close=False)
    look(dialog, "Vào sổ văn bản đến - trùng văn bản")
    banner = dialog.banner.isVisible()
    dialog.done(0)
    window.close()
    reg.close()
    print(json.dumps({"seen": seen, "registered": first is not None, "banner": banner,
                      "available": list(window.screen().availableGeometry().getRect())}))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    sys.exit(main(*sys.argv[1:]))
