"""Routing an incoming entry and its deadlines: route, route-correct, handover, status, overdue, holidays, rules."""

from __future__ import annotations

import argparse
from datetime import date
from typing import TYPE_CHECKING

from app.cli import output
from app.cli.shared import date_option, find_document, moment_option, wants_json
from app.core.dates import format_date, today
from app.core.enums import DocumentStatus
from app.core.errors import ValidationError
from app.core.records import AssignmentRecord
from app.services.deadline_rules import describe as describe_rule
from app.services.routing import INCOMING_STATUSES, UNIT_STATUSES

if TYPE_CHECKING:
    from app.services import Registry


def _split_supports(text: str | None) -> tuple[list[str], dict[str, date]]:
    """'Phòng A=20/05/2026;Phòng B' -> (['Phòng A', 'Phòng B'], {'Phòng A': 20/05/2026})."""
    units: list[str] = []
    deadlines: dict[str, date] = {}
    for part in (text or "").split(";"):
        unit, _sep, when = part.partition("=")
        unit = unit.strip()
        if not unit:
            if when.strip():
                raise ValidationError.single("support", "Đơn vị phối hợp", f"thiếu tên đơn vị trước '={when}'.")
            continue
        units.append(unit)
        if when.strip():
            deadlines[unit] = date_option(when.strip(), "support", f"Thời hạn của {unit}")
    return units, deadlines


def _unit_line(a: AssignmentRecord) -> str:
    parts = [f"{a.role.label}: {a.unit}"]
    if a.deadline:
        parts.append(f"hạn {format_date(a.deadline)}")
    if a.assignee:
        parts.append(f"giao {a.assignee}")
    parts.append(a.status.label.lower())
    if a.received_at:
        parts.append(f"ký nhận {a.signed_by} lúc {a.received_at:%H:%M %d/%m/%Y}")
    return ", ".join(parts)


def cmd_route(reg: Registry, args: argparse.Namespace) -> None:
    """Validate every option before anything is written; the service refuses unknown units as a whole."""
    doc = find_document(reg, args)
    supports, deadlines = _split_supports(args.support)
    step = reg.routing.route(doc.id, args.lead, supports, date_option(args.deadline, "deadline", "Thời hạn"),
                     args.directive or "", args.directed_by or "", date_option(args.on, "on", "Ngày chỉ đạo"),
                     args.assignee or "", deadlines)
    if wants_json(args):
        output.emit_json(step)
        return
    output.say(f"Đã chuyển (lần {step.step}) số đến {doc.number}/{doc.year}:")
    for a in step.assignments:
        output.say(f"  {_unit_line(a)}")


def cmd_route_correct(reg: Registry, args: argparse.Namespace) -> None:
    """Correct the current step: what is not given stays as the step says; the old version stays as history."""
    doc = find_document(reg, args)
    steps = reg.routing.history(doc.id)
    if not steps:
        raise ValidationError.single("step", "Lần chuyển", f"số đến {doc.number}/{doc.year} chưa được chuyển xử lý: "
                                                           "không có lần chuyển nào để sửa.")
    old = steps[-1]
    lead = old.lead
    if args.support is None:  # kept: each unit with its own deadline when it differs from the lead's
        supports = [a.unit for a in old.assignments if a is not lead]
        deadlines = {a.unit: a.deadline for a in old.assignments
                     if a is not lead and a.deadline and lead is not None and a.deadline != lead.deadline}
    else:
        supports, deadlines = _split_supports(args.support)
    deadline = date_option(args.deadline, "deadline", "Thời hạn") or (lead.deadline if lead else None)
    step = reg.routing.correct(
        doc.id, args.step or old.step, args.lead or (lead.unit if lead else ""), supports, deadline,
        old.directive or "" if args.directive is None else args.directive,
        old.directed_by or "" if args.directed_by is None else args.directed_by,
        date_option(args.on, "on", "Ngày chỉ đạo") or old.directed_at,
        (lead.assignee or "" if lead else "") if args.assignee is None else args.assignee, deadlines)
    if wants_json(args):
        output.emit_json(step)
        return
    output.say(f"Đã sửa lần chuyển {step.step} của số đến {doc.number}/{doc.year} (bản cũ vẫn giữ trong lịch sử, "
               "ghi “đã sửa”):")
    for a in step.assignments:
        output.say(f"  {_unit_line(a)}")


def cmd_handover(reg: Registry, args: argparse.Namespace) -> None:
    doc = find_document(reg, args)
    assignment = reg.routing.handover(doc.id, args.unit, args.signed_by, moment_option(args.at))
    if wants_json(args):
        output.emit_json(assignment)
    else:
        output.say(f"Đã ghi ký nhận số đến {doc.number}/{doc.year} — {_unit_line(assignment)}")


def cmd_status(reg: Registry, args: argparse.Namespace) -> None:
    """A unit reports progress (a closed one gets its completion time); without --unit, the entry's own status."""
    doc = find_document(reg, args)
    choices = UNIT_STATUSES if args.unit else INCOMING_STATUSES
    try:
        status = DocumentStatus.parse(args.set)
    except ValueError:
        status = None
    if status not in choices:
        raise ValidationError.single("status", "Trạng thái", f"'{args.set}' không dùng được; chọn: "
                                     f"{', '.join(s.label for s in choices)}.")
    if not args.unit:
        reg.routing.set_document_status(doc.id, status)
        shown = reg.documents.get(doc.id)
        output.emit_json(shown) if wants_json(args) else output.say(
            f"Đã đặt trạng thái số đến {doc.number}/{doc.year}: {shown.status.label}")
        return
    assignment = reg.routing.set_unit_status(doc.id, args.unit, status, moment_option(args.at, "Thời điểm"))
    if wants_json(args):
        output.emit_json(assignment)
    else:
        output.say(f"Đã cập nhật số đến {doc.number}/{doc.year} — {_unit_line(assignment)}")


def cmd_overdue(reg: Registry, args: argparse.Namespace) -> None:
    on = date_option(args.on, "on", "Ngày tính") or today()
    items = reg.routing.overdue(on)
    if wants_json(args):
        output.emit_json(items)
        return
    late = [i for i in items if i.overdue]
    soon = [i for i in items if not i.overdue]
    output.say(f"Tính tại ngày {format_date(on)}: {len(late)} việc quá hạn, {len(soon)} việc sắp đến hạn.")
    for title, group in (("QUÁ HẠN", late), ("SẮP ĐẾN HẠN (trong 2 ngày làm việc)", soon)):
        if not group:
            continue
        output.say(title)
        for i in group:
            when = (f"quá {i.days_late} ngày làm việc" if i.overdue
                    else f"còn {i.working_days_left} ngày làm việc")
            role = f" ({i.role.label.lower()})" if i.role else ""
            output.say(f"  Số đến {i.number}/{i.year} {i.reference or ''} — {i.unit or '(chưa chuyển)'}{role}: "
                       f"hạn {format_date(i.deadline)}, {when} — {i.subject[:60]}")


def cmd_holiday(reg: Registry, args: argparse.Namespace) -> None:
    if args.action == "list":
        found = reg.holidays.list(args.year)
        if wants_json(args):
            output.emit_json(found)
            return
        for h in found:
            output.say(f"{format_date(h.day)}  {h.name}")
        if not found:
            output.say("(Không có ngày nghỉ nào.)")
        return
    day = date_option(args.day, "day", "Ngày nghỉ")
    if day is None:
        raise ValidationError.single("day", "Ngày nghỉ", "không được để trống.")
    if args.action == "add":
        holiday = reg.holidays.add(day, args.name)
        done = "Đã thêm ngày nghỉ"
    else:
        holiday = reg.holidays.remove(day)
        done = "Đã bỏ ngày nghỉ"
    output.emit_json(holiday) if wants_json(args) else output.say(f"{done} {format_date(holiday.day)}: {holiday.name}")


def cmd_deadline_rule(reg: Registry, args: argparse.Namespace) -> None:
    """deadline-rule list|set|remove: the working days the rules give; a change never moves a given deadline."""
    if args.action == "list":
        rules = reg.deadline_rules.list()
        if wants_json(args):
            output.emit_json(rules)
            return
        for r in rules:
            output.say(f"{describe_rule(r.doc_type, r.urgency)}: {r.working_days} ngày làm việc")
        if not rules:
            output.say("(Chưa có quy định thời hạn nào: văn bản chuyển đi không có thời hạn mặc định.)")
        return
    if args.action == "set":
        rule = reg.deadline_rules.save(args.type, args.urgency, args.days, replace=True)
        done, then = "Đã đặt quy định thời hạn", "quy định này áp dụng cho các lần chuyển từ nay"
    else:
        rule = reg.deadline_rules.remove(doc_type=args.type, urgency=args.urgency)
        done, then = "Đã bỏ quy định thời hạn", "các lần chuyển từ nay theo quy định còn lại"
    if wants_json(args):
        output.emit_json(rule)
        return
    output.say(f"{done} {describe_rule(rule.doc_type, rule.urgency)}: {rule.working_days} ngày làm việc. "
               f"Thời hạn đã giao không thay đổi; {then}.")
