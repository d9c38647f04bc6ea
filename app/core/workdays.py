"""Working-day arithmetic for deadlines: Saturdays, Sundays and the agency's holiday table are days off."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta

_DAY = timedelta(days=1)


def is_working_day(day: date, holidays: Collection[date]) -> bool:
    return day.weekday() < 5 and day not in holidays


def next_working_day(day: date, holidays: Collection[date]) -> date:
    """The day itself when it is a working day, else the first working day after it."""
    while not is_working_day(day, holidays):
        day += _DAY
    return day


def add_working_days(start: date, n: int, holidays: Collection[date]) -> date:
    """The n-th working day after start (n=0: start itself if it is a working day, else the next working day)."""
    if n < 0:
        raise ValueError("n must not be negative")
    day = start
    if n == 0:
        return next_working_day(day, holidays)
    while n:
        day += _DAY
        if is_working_day(day, holidays):
            n -= 1
    return day


def working_days_between(start: date, end: date, holidays: Collection[date]) -> int:
    """Working days after start up to and including end; negative when end is before start."""
    if end < start:
        return -working_days_between(end, start, holidays)
    count, day = 0, start
    while day < end:
        day += _DAY
        if is_working_day(day, holidays):
            count += 1
    return count
