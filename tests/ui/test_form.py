"""The form helper every dialog builds on: values by field name, changes since load or save, the services'
refusals under the fields they name (real widgets, offscreen)."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QWidget

from app.core.errors import FieldError, ValidationError, VanThuError
from app.ui.form import Form
from tests.ui.keyboard import type_text


def _form(qtbot) -> tuple[Form, QWidget]:  # type: ignore[no-untyped-def]
    host = QWidget()
    qtbot.addWidget(host)
    form = Form({"received_on": "Ngày đến", "subject": "Trích yếu", "urgency": "Độ khẩn"}, label_errors=True)
    layout = QFormLayout(host)
    layout.addRow("Ngày đến", form.boxed(form.date("received_on"), "received_on"))
    layout.addRow("Trích yếu", form.boxed(form.text("subject"), "subject"))
    layout.addRow("Độ khẩn", form.boxed(form.choice("urgency", [("", None), ("Khẩn", "khan")]), "urgency"))
    host.show()
    return form, host


def test_values_and_changes_since_load(qtbot) -> None:  # type: ignore[no-untyped-def]
    form, _ = _form(qtbot)
    form.load({"received_on": "24/10/2023", "subject": "Về việc A", "urgency": ""})
    assert form.values() == {"received_on": "24/10/2023", "subject": "Về việc A", "urgency": ""}
    assert not form.is_dirty()
    form.widget("subject", type(form.fields["subject"])).setPlainText("Về việc Đảng ủy")
    form.set_value("urgency", "khan")
    assert form.changed() == {"subject": "Về việc Đảng ủy", "urgency": "khan"}
    form.mark_clean()
    assert not form.is_dirty() and form.changed(["subject"]) == {}


def test_a_refusal_lands_under_the_field_it_names(qtbot) -> None:  # type: ignore[no-untyped-def]
    form, _ = _form(qtbot)
    refused = form.show(ValidationError([FieldError("subject", "Trích yếu", "không được để trống."),
                                         FieldError("book", "Sổ", "đã khóa.")]))
    assert refused == ["subject"]
    assert form.errors["subject"].isVisible() and form.errors["subject"].text() == "Trích yếu: không được để trống."
    assert form.fields["subject"].property("invalid") is True
    assert form.general.isVisible() and "Sổ" in form.general.text() and "đã khóa" in form.general.text()
    assert not form.errors["received_on"].isVisible()
    type_text(form.fields["subject"], "x")  # typing in the field clears its error
    assert not form.errors["subject"].isVisible() and not form.fields["subject"].property("invalid")
    form.show(VanThuError("Ổ đĩa đầy"))
    assert form.general.text() == "Ổ đĩa đầy" and not any(label.isVisible() for label in form.errors.values())


def test_a_date_is_tidied_on_leaving_or_named_at_once(qtbot) -> None:  # type: ignore[no-untyped-def]
    form, _ = _form(qtbot)
    form.set_value("received_on", "241023")
    assert form.normalise_date("received_on") and form.value("received_on") == "24/10/2023"
    form.set_value("received_on", "31/02/2024")
    assert not form.normalise_date("received_on")
    assert form.errors["received_on"].isVisible()
    assert form.errors["received_on"].text().startswith("Ngày đến: '31/02/2024' không phải là ngày có thật")
