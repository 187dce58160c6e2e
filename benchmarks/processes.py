"""Server processes for the benchmarks: a free loopback port, a process started and awaited, its memory."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
YEMOT_TOKEN = "0773137770:1234"  # the default fixture's first system (and the benchmark fixture's)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def memory_mb(pid: int, field: str = "VmHWM") -> float:
    """A memory figure of the process from /proc, in MB: ``VmHWM`` (peak resident set, the default)
    or ``VmRSS`` (resident now)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


class Server:
    """A server process on loopback; ``started`` waits until ``probe`` answers below 500."""

    def __init__(
        self,
        name: str,
        command: list[str],
        port: int,
        probe: str,
        env: dict[str, str] | None = None,
        cwd: Path = ROOT,
    ):
        """``cwd``: the folder it starts in; ``python -m`` imports the package found there first."""
        self.name, self.command, self.port, self.probe, self.cwd = name, command, port, probe, cwd
        self.env = {**os.environ, **(env or {})}
        self.process: subprocess.Popen[bytes] | None = None
        self.cold_start_s = float("nan")

    def __enter__(self) -> Server:
        started = time.perf_counter()
        self.process = subprocess.Popen(
            self.command, cwd=self.cwd, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = started + 60
        while time.perf_counter() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}")
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}{self.probe}", timeout=1).status_code < 500:
                    self.cold_start_s = time.perf_counter() - started
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.005)
        self.process.kill()
        raise RuntimeError(f"{self.name} did not answer within 60 s")

    def __exit__(self, *exc: object) -> None:
        assert self.process is not None
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def rss(self) -> float:
        assert self.process is not None
        return memory_mb(self.process.pid)
