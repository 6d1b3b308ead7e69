"""A browser-like Streamlit session over the websocket, for load tests.

Speaks Streamlit's protobuf protocol on ``/_stcore/stream`` as the frontend
does: each run is one ``BackMsg.rerun_script`` (query string, page, widget
values) answered by that run's ForwardMsgs up to ``script_finished``. Widget
ids are read from the elements of the previous run, as in the browser, and
images the run shows are fetched over HTTP like a browser would.
Loopback addresses only.

Behind a balancer (deploy/nginx/civic.conf) a session keeps the browser's cookies: the
websocket handshake's ``Set-Cookie`` names the process that took the session, and image
requests carry it. When the connection is lost the session does what Streamlit's page does
(its ``handleConnectionStateChanged``): it reconnects, and if a run was in flight it asks for
the run again with its widget values, without the click or chat message that was in flight
(those are one-shot). The new connection is a new Streamlit session.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState, ContextInfo
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState, WidgetStates
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed
from websockets.protocol import State

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
_DONE = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR,
         ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}
_ONE_SHOT = {"trigger_value", "string_trigger_value", "chat_input_value", "json_trigger_value"}


class ProtocolError(Exception):
    """The app did not behave as a browser would expect (missing widget, lost connection)."""


class _Closed(ProtocolError):
    """The server closed the websocket before the run finished."""


def check_loopback(url: str) -> str:
    """The base URL without a trailing slash; refuses anything not on this machine."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or parts.hostname not in LOOPBACK:
        raise ValueError(f"only loopback http URLs are allowed (127.0.0.1), not {url!r}")
    return url.rstrip("/")


@dataclass
class Element:
    kind: str  # the Element oneof name: "button", "selectbox", "alert", "markdown", ...
    proto: object
    path: tuple[int, ...]


@dataclass
class Run:
    """What one script run showed, in delivery order."""

    elements: list[Element] = field(default_factory=list)
    blocks: list[str] = field(default_factory=list)  # Block oneof names, e.g. "chat_message"
    page_hash: str = ""
    seconds: float = 0.0
    compile_error: bool = False
    retried: bool = False  # the connection was lost mid-run; this is the page's rerun on a new session

    def of(self, kind: str) -> list:
        return [e.proto for e in self.elements if e.kind == kind]

    def widget(self, kind: str, label: str | None = None):
        """The first widget of ``kind`` (whose label starts with ``label``)."""
        for proto in self.of(kind):
            if label is None or getattr(proto, "label", "").startswith(label):
                return proto
        raise ProtocolError(f"no {kind} {label or ''!r} on the page")

    def alerts(self, fmt: int) -> list[str]:
        return [a.body for a in self.of("alert") if a.format == fmt]

    def errors(self) -> list[str]:
        """Exceptions and st.error messages: what a resident would see as a failure."""
        found = [f"{e.type}: {e.message}" for e in self.of("exception")]
        found += self.alerts(Alert.ERROR)
        if self.compile_error:
            found.append("script compile error")
        return found

    def media_urls(self) -> list[str]:
        return [img.url for imgs in self.of("imgs") for img in imgs.imgs if img.url.startswith("/media/")]


def trigger(widget_id: str) -> WidgetState:
    return WidgetState(id=widget_id, trigger_value=True)


def text(widget_id: str, value: str) -> WidgetState:
    return WidgetState(id=widget_id, string_value=value)


def boolean(widget_id: str, value: bool) -> WidgetState:
    return WidgetState(id=widget_id, bool_value=value)


def chat(widget_id: str, value: str) -> WidgetState:
    state = WidgetState(id=widget_id)
    state.chat_input_value.data = value
    return state


class StreamlitSession:
    """One Streamlit session (one browser tab). Use ``async with``."""

    def __init__(self, base_url: str, *, http: httpx.AsyncClient | None = None, timeout: float = 30.0) -> None:
        self.base_url = check_loopback(base_url)
        self.http = http
        self.timeout = timeout
        self.page_hash = ""
        self.query_string = ""
        self.cookies: dict[str, str] = {}  # this browser's cookies for the site
        self.reconnects = 0  # connections replaced after the server closed one (each a new session)
        self.received = 0  # messages received so far (a run has started once its first one is in)
        self._ws = None

    async def __aenter__(self) -> StreamlitSession:
        await self._connect()
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._ws is not None:
            await self._ws.close()

    @property
    def node(self) -> str | None:
        """The process that holds this session, as the balancer's cookie names it."""
        return self.cookies.get("civic_node")

    def _cookie_header(self) -> dict[str, str]:
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}

    def _keep_cookies(self, headers: list[str]) -> None:
        for header in headers:
            name, _, value = header.split(";", 1)[0].strip().partition("=")
            if name:
                self.cookies[name] = value

    async def _connect(self) -> None:
        if self._ws is not None:
            await self._ws.close()
        ws_url = "ws" + self.base_url.removeprefix("http") + "/_stcore/stream"
        self._ws = await asyncio.wait_for(
            connect(ws_url, subprotocols=["streamlit"], origin=self.base_url, max_size=None,
                    ping_interval=None, compression=None, additional_headers=self._cookie_header()),
            self.timeout,
        )
        self._keep_cookies(self._ws.response.headers.get_all("Set-Cookie"))

    async def open(self, page: str, query: str = "") -> Run:
        """Load ``page`` (its url path, e.g. "ask"; "" for the home page) with ``query``."""
        self.query_string = query
        return await self._run(ClientState(query_string=query, page_name=page))

    async def rerun(self, *widgets: WidgetState) -> Run:
        """What the browser sends after an interaction: the current page and widget values."""
        state = ClientState(query_string=self.query_string, page_script_hash=self.page_hash,
                            widget_states=WidgetStates(widgets=list(widgets)))
        return await self._run(state)

    async def _run(self, state: ClientState) -> Run:
        state.context_info.CopyFrom(ContextInfo(timezone="Asia/Shanghai", timezone_offset=-480, locale="zh-CN",
                                                url=self.base_url + "/", color_scheme="light"))
        start = time.perf_counter()
        run = await asyncio.wait_for(self._exchange(state), self.timeout)
        run.seconds = time.perf_counter() - start
        return run

    async def _exchange(self, state: ClientState) -> Run:
        if self._ws.state is not State.OPEN:  # closed while idle: the page has already reconnected
            await self._reconnect()
        try:
            await self._ws.send(BackMsg(rerun_script=state).SerializeToString())
            run = await self._receive()
        except (ConnectionClosed, _Closed):
            # Lost mid-run: the page reconnects and asks for the run again with its widget
            # values; the click or message in flight is gone (a new session never sees it).
            await self._reconnect()
            again = ClientState()
            again.CopyFrom(state)
            kept = [w for w in state.widget_states.widgets if w.WhichOneof("value") not in _ONE_SHOT]
            del again.widget_states.widgets[:]
            again.widget_states.widgets.extend(kept)
            await self._ws.send(BackMsg(rerun_script=again).SerializeToString())
            run = await self._receive()
            run.retried = True
        if self.http is not None:
            for url in run.media_urls():
                response = await self.http.get(self.base_url + url, headers=self._cookie_header())
                if response.status_code != 200:
                    raise ProtocolError(f"media {url}: HTTP {response.status_code} (session on {self.node})")
        return run

    async def _reconnect(self) -> None:
        self.reconnects += 1
        await self._connect()

    async def _receive(self) -> Run:
        run = Run()
        async for raw in self._ws:
            self.received += 1
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            kind = msg.WhichOneof("type")
            if kind == "new_session":  # every run starts with one; a rerun discards what came before
                run = Run(page_hash=msg.new_session.page_script_hash)
                self.page_hash = run.page_hash or self.page_hash
            elif kind == "navigation" and msg.navigation.page_script_hash:
                self.page_hash = run.page_hash = msg.navigation.page_script_hash
            elif kind == "page_info_changed":
                self.query_string = msg.page_info_changed.query_string
            elif kind == "page_not_found":
                raise ProtocolError(f"page not found: {msg.page_not_found.page_name!r}")
            elif kind == "delta":
                delta = msg.delta
                path = tuple(msg.metadata.delta_path)
                if delta.HasField("new_element"):
                    name = delta.new_element.WhichOneof("type") or "empty"
                    run.elements.append(Element(name, getattr(delta.new_element, name), path))
                elif delta.HasField("add_block"):
                    run.blocks.append(delta.add_block.WhichOneof("type") or "")
            elif kind == "script_finished" and msg.script_finished in _DONE:
                run.compile_error = msg.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR
                return run
        raise _Closed("the server closed the connection during a run")
