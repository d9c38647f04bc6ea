"""Dates as clerks type them (day first) and as official documents print them."""

from __future__ import annotations

import re
from datetime import date, datetime, time

# Accepted shapes. dateutil alone accepts far too much ('10' = the 10th of this month), so we gate it.
_DAY_FIRST = re.compile(r"^\d{1,2}[/.\-]\d{1,2}[/.\-](\d{2}|\d{4})$")
_ISO = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")
_COMPACT = re.compile(r"^\d{6}$|^\d{8}$")  # 241023 or 24102023, typed without separators
_TIME = re.compile(r"^(\d{1,2})[:hH](\d{2})?$")

ACCEPTED_FORMATS = "DD/MM/YYYY, DD/MM/YY, DD-MM-YYYY, YYYY-MM-DD hoặc DDMMYY"


def parse_date(text: str) -> date:
    """Parse a day-first date; raise ValueError with a Vietnamese reason on anything else."""
    value = text.strip()
    if _COMPACT.match(value):
        value = f"{value[:2]}/{value[2:4]}/{value[4:]}"
    if _ISO.match(value):
        fmt_ok, dayfirst = True, False
    else:
        fmt_ok, dayfirst = bool(_DAY_FIRST.match(value)), True
    if not fmt_ok:
        raise ValueError(f"'{text}' không đúng dạng ngày ({ACCEPTED_FORMATS}).")
    from dateutil import parser as date_parser  # on first parse: printing a date needs none of it

    try:
        parsed = date_parser.parse(value, dayfirst=dayfirst, yearfirst=not dayfirst).date()
    except (ValueError, OverflowError):
        raise ValueError(f"'{text}' không phải là ngày có thật.") from None
    # dateutil quietly swaps day and month when the day-first reading is impossible (10/24/2023):
    # a clerk's month-first slip must be refused, not turned into another date.
    parts = [int(p) for p in re.split(r"[/.\-]", value)]
    day, month = (parts[2], parts[1]) if not dayfirst else (parts[0], parts[1])
    if (parsed.day, parsed.month) != (day, month):
        raise ValueError(f"'{text}' không phải là ngày có thật (ngày trước, tháng sau: DD/MM/YYYY).")
    return parsed


def parse_time(text: str) -> time:
    """Parse '8:30', '08h30' or '14h'."""
    match = _TIME.match(text.strip())
    if not match:
        raise ValueError(f"'{text}' không đúng dạng giờ (HH:MM).")
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if hour > 23 or minute > 59:
        raise ValueError(f"'{text}' không phải là giờ có thật.")
    return time(hour, minute)


def parse_moment(text: str, now: datetime | None = None) -> datetime:
    """'05/05/2026 08:30' (the time may be left out: now's time) as a handover sheet writes it, to the minute."""
    day_text, _sep, time_text = text.strip().partition(" ")
    day = parse_date(day_text)
    moment = parse_time(time_text) if time_text.strip() else (now or datetime.now()).time()
    return datetime.combine(day, moment).replace(second=0, microsecond=0)


def format_date(value: date | None) -> str:
    """DD/MM/YYYY as written in the register."""
    return value.strftime("%d/%m/%Y") if value else ""


def date_line(place: str, value: date) -> str:
    """'Tây Ninh, ngày 05 tháng 02 năm 2024': days 1-9 and months 1-2 take a leading zero (NĐ 30)."""
    month = f"{value.month:02d}" if value.month <= 2 else str(value.month)
    return f"{place}, ngày {value.day:02d} tháng {month} năm {value.year}"


def today() -> date:
    return datetime.now().date()
