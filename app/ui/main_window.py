"""Main window: the incoming and outgoing registers of a chosen year, read through the Registry."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QSpinBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME, __version__
from app.core.dates import today
from app.core.enums import Direction
from app.services import Registry
from app.ui.register_table_model import RegisterTableModel


class MainWindow(QMainWindow):
    def __init__(self, registry: Registry) -> None:
        super().__init__()
        self.registry = registry
        agency = registry.agency()
        self.setWindowTitle(f"{APP_NAME} {__version__} — {agency.name or 'chưa đặt tên cơ quan'}")
        self.resize(1200, 700)

        self.year = QSpinBox()
        self.year.setRange(1900, 2999)
        self.year.setValue(today().year)
        self.year.setPrefix("Năm ")
        self.year.valueChanged.connect(self.reload)

        self.tabs = QTabWidget()
        self.models: dict[Direction, RegisterTableModel] = {}
        for direction, title in ((Direction.INCOMING, "Văn bản đến"), (Direction.OUTGOING, "Văn bản đi"),
                                 (Direction.COPY, "Bản sao")):
            model = RegisterTableModel(direction)
            view = QTableView()
            view.setModel(model)
            view.setAlternatingRowColors(True)
            view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
            view.verticalHeader().setVisible(False)
            view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
            header = view.horizontalHeader()
            header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
            subject_column = next(i for i, (title, _) in enumerate(model.columns) if title.startswith("Tên loại"))
            header.setSectionResizeMode(subject_column, QHeaderView.ResizeMode.Stretch)
            view.setWordWrap(False)
            self.models[direction] = model
            self.tabs.addTab(view, title)

        top = QHBoxLayout()
        top.addWidget(QLabel("Sổ đăng ký của:"))
        top.addWidget(self.year)
        top.addStretch(1)
        layout = QVBoxLayout()
        layout.addLayout(top)
        layout.addWidget(self.tabs)
        central = QWidget()
        central.setLayout(layout)
        self.setCentralWidget(central)
        self.reload()

    def reload(self) -> None:
        counts = []
        for direction, model in self.models.items():
            model.set_rows(self.registry.list_documents(direction, self.year.value()))
            self.tabs.widget(list(self.models).index(direction)).resizeColumnsToContents()
            counts.append(f"{direction.label}: {model.rowCount()}")
        self.statusBar().showMessage(f"{' · '.join(counts)} — Dữ liệu: {self.registry.location}")
