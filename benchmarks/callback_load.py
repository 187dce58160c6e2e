"""Callback load for http_load.py: voice campaigns with a ``callbackUrl`` started at a steady rate,
their deliveries taken by a local nginx (a Python receiver where nginx is missing)."""

from __future__ import annotations

import http.client
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import httpx
from processes import ROOT, YEMOT_TOKEN, free_port

sys.path.insert(0, str(ROOT))

from emulator.testing.receiver import Receiver

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
NGINX_RECEIVER = """
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log {folder}/access.log;
    client_body_buffer_size 64k;
{temp_paths}
    server {{ listen 127.0.0.1:{port}; location / {{ return 204; }} }}
}}
"""


class NginxReceiver:
    """Callbacks taken by nginx (one C worker answering 204): receiving them costs the machine next to
    nothing, so the callback load measures the emulator's delivery work, not a Python receiver's."""

    def __enter__(self) -> NginxReceiver:
        assert NGINX is not None
        self._folder = tempfile.TemporaryDirectory()
        folder, port = Path(self._folder.name), free_port()
        temp_paths = "".join(
            f"    {kind}_temp_path {folder}/{kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        conf = folder / "nginx.conf"
        conf.write_text(NGINX_RECEIVER.format(folder=folder, port=port, temp_paths=temp_paths))
        self._log = folder / "access.log"
        self._process = subprocess.Popen(
            [NGINX, "-p", str(folder), "-c", str(conf), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.url = f"http://127.0.0.1:{port}/hook"
        for _ in range(200):
            try:
                httpx.get(self.url, timeout=1)
                return self
            except httpx.TransportError:
                time.sleep(0.02)
        raise RuntimeError("nginx did not start")

    def delivered(self) -> int:
        """Callbacks received so far (lines of nginx's access log; the start-up probe excluded)."""
        with self._log.open("rb") as log:
            return max(0, sum(1 for _ in log) - 1)

    def __exit__(self, *exc: object) -> None:
        self._process.terminate()
        self._process.wait(timeout=10)
        self._folder.cleanup()


class PythonReceiver(Receiver):
    """The test receiver, where nginx is missing (it shares the machine's cores with the server)."""

    def delivered(self) -> int:
        return len(self.hits)


class CallbackLoad:
    """Voice campaigns with a ``callbackUrl`` started at ``rate`` per second for as long as it runs,
    their callbacks answered by a local receiver: the delivery work a busy account causes."""

    def __init__(self, port: int, rate: float) -> None:
        self.port, self.rate = port, rate
        self._stop = threading.Event()
        self.started = 0
        if NGINX is None:
            print("http_load: nginx not installed (Debian package 'nginx'); callbacks go to a Python receiver")
        self.receiver: NginxReceiver | PythonReceiver = NginxReceiver() if NGINX is not None else PythonReceiver()

    def __enter__(self) -> CallbackLoad:
        self.receiver.__enter__()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        time.sleep(8)  # a call rings ~5 s before its first callback: reach the steady state first
        return self

    def _run(self) -> None:
        # The standard library's HTTP client on one kept-alive connection: it takes a fraction of what
        # httpx's client takes per request, so the load generator itself barely competes with the
        # server and wrk for the two cores (the measured loss is then the emulator's).
        body = urlencode(
            {"token": YEMOT_TOKEN, "phones": "0527777701", "ttsMessage": "hello", "callbackUrl": self.receiver.url}
        ).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            next_at = time.perf_counter()
            while not self._stop.is_set():
                connection.request("POST", "/ym/api/SendTTS", body=body, headers=headers)
                connection.getresponse().read()
                self.started += 1
                next_at += 1 / self.rate
                self._stop.wait(max(0.0, next_at - time.perf_counter()))
        finally:
            connection.close()

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=10)
        self.receiver.__exit__(*exc)
