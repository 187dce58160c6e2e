"""The listening socket of a server command (``serve``, ``record``), bound before it claims to be up."""

from __future__ import annotations

import socket


def listen(host: str, port: int) -> socket.socket:
    """Bind and listen on ``host``:``port`` (an IPv6 host with or without brackets); OSError if not."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host.strip("[]"), port))
        sock.listen(2048)
        sock.set_inheritable(True)
    except OSError:
        sock.close()
        raise
    return sock
