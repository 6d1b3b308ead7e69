"""A TCP relay in front of PostgreSQL that cuts a connection at its next COMMIT.

The app connects through it like through any network hop. ``arm("before")`` drops the
next COMMIT and closes the connection, so the server rolls the transaction back;
``arm("after")`` lets the COMMIT through and closes the connection before the server's
answer reaches the app, so the transaction is stored but the app only sees a broken
connection — the ambiguous failure. ``refuse = True`` turns new connections away (the
database "stays down"). One cut per arming.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from urllib.parse import urlsplit, urlunsplit

COMMIT = b"Q\x00\x00\x00\x0bCOMMIT\x00"  # the simple-query message psycopg sends for COMMIT


class CommitCutter:
    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.target = (parts.hostname, parts.port or 5432)
        self.listener = socket.create_server(("127.0.0.1", 0))
        port = self.listener.getsockname()[1]
        self.url = urlunsplit(parts._replace(netloc=f"{parts.username}@127.0.0.1:{port}"))
        self.mode: str | None = None
        self.refuse = False
        self.cuts = 0
        self.commits_seen = 0
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def arm(self, mode: str) -> None:
        assert mode in ("before", "after")
        with self._lock:
            self.mode = mode

    def _take_arm(self) -> str | None:
        with self._lock:
            mode, self.mode = self.mode, None
            if mode:
                self.cuts += 1
            return mode

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if self.refuse:
                client.close()
                continue
            try:
                server = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._sockets += [client, server]
            state = {"cut_on_answer": False}
            threading.Thread(target=self._to_server, args=(client, server, state), daemon=True).start()
            threading.Thread(target=self._to_client, args=(server, client, state), daemon=True).start()

    @staticmethod
    def _close(*socks: socket.socket) -> None:
        for s in socks:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            s.close()

    def _to_server(self, client: socket.socket, server: socket.socket, state: dict) -> None:
        try:
            while data := client.recv(65536):
                if COMMIT in data:
                    self.commits_seen += 1
                    mode = self._take_arm()
                    if mode == "before":
                        self._close(client, server)
                        return
                    if mode == "after":
                        state["cut_on_answer"] = True
                server.sendall(data)
        except OSError:
            pass
        self._close(client, server)

    def _to_client(self, server: socket.socket, client: socket.socket, state: dict) -> None:
        try:
            while data := server.recv(65536):
                if state["cut_on_answer"]:  # the server has committed; the app never hears it
                    self._close(client, server)
                    return
                client.sendall(data)
        except OSError:
            pass
        self._close(client, server)

    def close(self) -> None:
        self._closed = True
        self.listener.close()
        with self._lock:
            self._close(*self._sockets)
