"""The pure logic of the browser and throughput benchmarks (`browser.py`, `throughput.py`): percentiles,
the holds/misses decision, the websocket frame accounting, the server's CPU time from /proc, and the
walk of the year slider that gives every measured filter change a period the server has not seen."""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

# Top-level field numbers of the protocol's messages, as the page records them (see browser.py's probe).
RERUN = BackMsg.DESCRIPTOR.fields_by_name["rerun_script"].number
NEW_SESSION = ForwardMsg.DESCRIPTOR.fields_by_name["new_session"].number
SCRIPT_FINISHED = ForwardMsg.DESCRIPTOR.fields_by_name["script_finished"].number
HEARTBEAT_ACK = ForwardMsg.DESCRIPTOR.fields_by_name["heartbeat_ack"].number
EARLY_FOR_RERUN = ForwardMsg.FINISHED_EARLY_FOR_RERUN
SENT, RECEIVED = 0, 1


def percentile(values: Iterable[float], share: float) -> float:
    """Linear interpolation between the closest ranks (numpy's default); NaN for no values."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    position = share * (len(ordered) - 1)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def verdict(measured: float, limit: float) -> str:
    """'holds' when `measured` is at most `limit`, 'misses' above it, 'not measured' without a number."""
    if measured is None or math.isnan(measured) or math.isnan(limit):
        return "not measured"
    return "holds" if measured <= limit else "misses"


@dataclass(frozen=True)
class Run:
    """One page run as the websocket saw it: the rerun sent (ms on the page's clock), the server's first
    answer (new_session), script_finished, and the bytes and messages received in between."""

    sent: float
    answered: float
    finished: float
    received_bytes: int
    messages: int


def runs(frames: Iterable[tuple[float, int, int, int, int | None]]) -> list[Run]:
    """Page runs from the frames a page recorded, each (time ms, SENT or RECEIVED, bytes, top-level field
    number, script_finished status or None). A run starts with a rerun sent and ends with the first
    script_finished that is not FINISHED_EARLY_FOR_RERUN: a rerun sent while one runs (the user moved
    again) continues the same page run, as the user waits for both. Heartbeat answers are not counted."""
    found = []
    sent = answered = None
    size = messages = 0
    for time, direction, length, field, status in frames:
        if direction == SENT:
            if field == RERUN and sent is None:
                sent, answered, size, messages = time, None, 0, 0
            continue
        if sent is None or field == HEARTBEAT_ACK:
            continue
        size += length
        messages += 1
        if field == NEW_SESSION and answered is None:
            answered = time
        if field == SCRIPT_FINISHED and status != EARLY_FOR_RERUN:
            found.append(Run(sent, time if answered is None else answered, time, size, messages))
            sent = None
    return found


def cpu_seconds(stat: str, ticks_per_second: int) -> float:
    """User + system CPU seconds of a process from its /proc/PID/stat line (utime and stime are fields
    14 and 15; the command name, field 2, is in parentheses and may itself hold spaces or parentheses)."""
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / ticks_per_second


# One key press on a thumb of the year range slider (Streamlit sends the new range after each).
Move = tuple[str, str]  # (thumb: "start" | "end", key)
Period = tuple[int, int]


def _moves(period: Period, low: int, high: int) -> list[tuple[Move, Period]]:
    start, end = period
    moves = [
        (("end", "ArrowLeft"), (start, end - 1)),
        (("start", "ArrowRight"), (start + 1, end)),
        (("start", "ArrowLeft"), (start - 1, end)),
        (("end", "ArrowRight"), (start, end + 1)),
        (("start", "Home"), (low, end)),
        (("end", "End"), (start, high)),
    ]
    return [(m, (a, b)) for m, (a, b) in moves if low <= a <= b <= high and (a, b) != period]


def next_period(
    period: Period, low: int, high: int, seen: set[Period], shows: Callable[[Period], bool]
) -> list[tuple[Move, Period]]:
    """The fewest key presses from `period` to one not in `seen` that `shows` data (a period holding
    only a year without a cohort shows no cards), passing only periods that show data; the last press
    is the measured filter change, the others bring the slider there. Empty when none is left."""
    paths: dict[Period, list[tuple[Move, Period]]] = {period: []}
    queue = deque([period])
    while queue:
        here = queue.popleft()
        for move, there in _moves(here, low, high):
            if there in paths or not shows(there):
                continue
            paths[there] = [*paths[here], (move, there)]
            if there not in seen:
                return paths[there]
            queue.append(there)
    return []
