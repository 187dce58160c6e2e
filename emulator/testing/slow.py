"""A deliberately slow HTTP peer on 127.0.0.1, for tests of the emulator's timeouts.

with SlowPeer(head=b"HTTP/1.1 200 OK\\r\\n", drip=b"X") as peer:
    ...  # send to peer.url: the status line comes at once, then one byte every 0.1 s
"""

from __future__ import annotations

import socket
import threading


class SlowPeer:
    """Accepts one connection, sends ``head``, then one ``drip`` every ``every`` seconds (nothing
    more when ``drip`` is empty) until the context ends. Use as a context manager."""

    def __init__(self, head: bytes = b"", drip: bytes = b"", every: float = 0.1) -> None:
        self.head, self.drip, self.every = head, drip, every
        self._stop = threading.Event()
        self._listener = socket.socket()
        self._connections: list[socket.socket] = []

    def __enter__(self) -> SlowPeer:
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen()
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        threading.Thread(target=self._serve, daemon=True).start()
        return self

    def _serve(self) -> None:
        try:
            connection, _ = self._listener.accept()
        except OSError:
            return  # closed before anyone connected
        self._connections.append(connection)
        try:
            connection.sendall(self.head)
            while self.drip and not self._stop.wait(self.every):
                connection.sendall(self.drip)
        except OSError:
            return  # the client gave up

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for sock in (*self._connections, self._listener):
            sock.close()
