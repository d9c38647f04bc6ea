"""Splitting a bundle into documents: where each one starts (national title, number line or type title)."""

from __future__ import annotations

from dataclasses import dataclass

from app.extraction.classify import Info
from app.extraction.normalize import Segment
from app.extraction.patterns import LOOK_BACK

# ---------------------------------------------------------------------------------------------------------------
# Splitting a bundle


@dataclass
class _SplitState:
    has_body: bool = False
    has_number: bool = False
    sig_started: bool = False
    closed: bool = False
    in_subject: bool = False


def _look_back(segs: list[Segment], infos: list[Info], index: int, floor: int) -> int:
    """The first agency (or urgency) line of the header whose national title or number line is at index."""
    start = index
    k = index - 1
    steps = 0
    while k > floor and steps < LOOK_BACK:
        steps += 1
        if not segs[k].blank:
            info = infos[k]
            if not (info.agency or info.mark):
                break
            start = k
        k -= 1
    return start


def _split(segs: list[Segment], infos: list[Info]) -> list[tuple[int, int]]:
    starts = [0]
    state = _SplitState()
    for i, seg in enumerate(segs):
        if seg.blank:
            state.in_subject = False
            continue
        info = infos[i]
        trigger, back = False, True
        if info.national:
            trigger = state.closed or state.has_body
        elif info.number is not None:
            trigger = state.closed or (state.has_number and state.has_body)
        elif info.title:
            trigger, back = state.closed, False
        if trigger and i > starts[-1]:
            starts.append(_look_back(segs, infos, i, starts[-1]) if back else i)
            state = _SplitState()
        if info.number is not None:
            state.has_number = True
        if info.title or info.vv >= 0:
            state.in_subject = True
        elif info.recipient_intro >= 0 or (info.prose and not state.in_subject):
            state.has_body = True
        if info.noi_nhan >= 0 or info.authority or info.body_end:
            state.sig_started = state.has_body = True
        elif info.name and state.sig_started:
            state.closed = True
    return list(zip(starts, [*starts[1:], len(segs)], strict=True))

