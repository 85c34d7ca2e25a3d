"""A light client speaking Streamlit's own protocol, without a browser: what a browser tab does for one
script run, shared by the load test (`load.py`), the throughput benchmark (`throughput.py`) and the
server cost per view (`page_cost.py`).

GET the app page (a cookie HAProxy pins the replica with, if any), open the websocket
`/_stcore/stream` with the `streamlit` subprotocol and that cookie, send BackMsg `rerun_script` with
the page and the URL's query string (and the year slider's value when it moved), read ForwardMsg
until `script_finished`, keeping what a browser keeps between runs (`Browser`).
"""

from __future__ import annotations

import asyncio
import re
import time
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import websockets
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from dashboard import cards

RUN_TIMEOUT_S = 120
YEARS_LABEL = "기수(연도)"
STAMP_VERSION = re.compile(r"저장소 버전 (v\d{4})")
CARD_LABELS = frozenset(card.label for card in cards.CARDS)


@dataclass
class PageRun:
    """What one script run drew: the cards (label → value text) and the version each card's help names."""

    session: int
    replica: str
    page: str
    query: str
    started: float
    finished: float = 0.0
    cards: dict[str, str] = field(default_factory=dict)
    stamps: dict[str, str | None] = field(default_factory=dict)
    failure: str | None = None
    reconnected: bool = False
    notices: list[str] = field(default_factory=list)  # warnings and notes on the page (for --runs)
    received: int = 0  # bytes of the ForwardMsgs read for this run

    @property
    def seconds(self) -> float:
        return self.finished - self.started


def get_page(url: str, cookie: str) -> tuple[str, str]:
    """GET the app page as a browser does: the cookie HAProxy pins (or re-pins) and the replica that answered."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=30) as answer:
        replica = answer.headers.get("X-Dashboard-Replica", "?")
        fresh = answer.headers.get("Set-Cookie", "").split(";", 1)[0]
    return fresh or cookie, replica


@dataclass
class Browser:
    """What a browser keeps between script runs: the page list (and each page's hash by its URL path),
    the year slider's widget id, its URL."""

    pages: list[str] = field(default_factory=list)
    paths: dict[str, str] = field(default_factory=dict)
    year_slider: str = ""
    url_query: str = ""


def read(raw: bytes, run: PageRun, browser: Browser) -> bool:
    """Take in one ForwardMsg; True once the script run has finished."""
    run.received += len(raw)
    forward = ForwardMsg()
    forward.ParseFromString(raw)
    kind = forward.WhichOneof("type")
    if kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
        element = forward.delta.new_element
        which = element.WhichOneof("type")
        if which == "metric" and element.metric.label in CARD_LABELS:
            run.cards[element.metric.label] = element.metric.body
            found = STAMP_VERSION.search(element.metric.help)
            run.stamps[element.metric.label] = found.group(1) if found else None
        elif which == "slider" and element.slider.label == YEARS_LABEL:
            browser.year_slider = element.slider.id
        elif which == "exception":
            run.failure = f"exception: {element.exception.type}"
        elif which == "alert" and element.alert.format == Alert.ERROR:
            run.failure = f"error box: {element.alert.body[:60]}"
        elif which == "alert":
            run.notices.append(element.alert.body[:80])
    elif kind == "page_info_changed":  # the app wrote its filters into the URL
        browser.url_query = forward.page_info_changed.query_string
    elif kind == "navigation":
        browser.pages[:] = [p.page_script_hash for p in forward.navigation.app_pages]
        browser.paths.update({p.url_pathname: p.page_script_hash for p in forward.navigation.app_pages})
    elif kind == "script_finished":
        if forward.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
            run.failure = "compile error"
        return forward.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN
    return False


def years_of(query: str) -> list[float]:
    years = parse_qs(query)
    return [float(years["from"][0]), float(years["to"][0])]


class Connection:
    """One browser tab's connection to the app at `url`: `connect`, then `send_run` per script run."""

    def __init__(self, url: str):
        self.url = url
        self.ws_url = "ws://" + urlsplit(url).netloc + "/_stcore/stream"
        self.cookie = ""
        self.replica = ""
        self.ws = None
        self.browser = Browser()

    async def connect(self) -> None:
        self.cookie, self.replica = await asyncio.to_thread(get_page, self.url + "/", self.cookie)
        # A browser sends no websocket pings: with the client's default 20 s keepalive, a replica whose
        # event loop is held by script runs looks dead to the client, which closes the session itself.
        self.ws = await websockets.connect(
            self.ws_url,
            subprotocols=["streamlit"],
            additional_headers={"Cookie": self.cookie},
            max_size=None,
            ping_interval=None,
        )

    async def send_run(self, run: PageRun, move_slider: bool) -> None:
        """Run `run.page` with the URL the app last wrote, the year slider moved to `run.query`'s period
        when `move_slider`; return once the run has finished (TimeoutError after RUN_TIMEOUT_S)."""
        message = BackMsg()
        message.rerun_script.query_string = self.browser.url_query
        message.rerun_script.page_script_hash = run.page
        if move_slider:
            widget = message.rerun_script.widget_states.widgets.add()
            widget.id = self.browser.year_slider
            widget.double_array_value.data.extend(years_of(run.query))
        await self.ws.send(message.SerializeToString())
        while not read(await asyncio.wait_for(self.ws.recv(), RUN_TIMEOUT_S), run, self.browser):
            pass

    async def view(self, page: str, query: str, *, move_slider: bool) -> PageRun:
        """One script run, timed; a failure is recorded on the run, not raised."""
        run = PageRun(0, self.replica, page, query, time.monotonic())
        try:
            await self.send_run(run, move_slider)
        except TimeoutError:
            run.failure = f"no script_finished within {RUN_TIMEOUT_S}s"
        except (OSError, websockets.WebSocketException) as exc:
            run.failure = f"connection: {type(exc).__name__}"
        run.finished = time.monotonic()
        return run

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
