"""Running the third-party IVR services of the tests: a Flask app in a thread, a Node app in a process."""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from werkzeug.serving import make_server

NODE_DIR = Path(__file__).parent / "node"


@contextmanager
def flask_service(app: Any) -> Iterator[str]:
    """Serve a WSGI app on 127.0.0.1 (a free port) for the duration; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


def node_missing() -> str | None:
    """Why the Node service cannot run here, or None."""
    if shutil.which("node") is None:
        return "node is not installed: the yemot-router2 (npm) IVR tests need Node.js"
    return None


def ensure_node_modules() -> None:
    """Install the pinned npm packages when CI's setup step (.ci/setup.d/20-node-ivr.sh) has not."""
    if (NODE_DIR / "node_modules" / "yemot-router2").is_dir():
        return
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is missing: run .ci/setup.d/20-node-ivr.sh to install tests/ivr/node")
    subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=NODE_DIR, check=True, timeout=300)


@contextmanager
def node_service(script: str = "app.mjs", *args: str) -> Iterator[str]:
    """Run ``tests/ivr/node/<script>`` (with ``args``) with Node; yields its base URL once it listens."""
    ensure_node_modules()
    process = subprocess.Popen(
        ["node", script, *args], cwd=NODE_DIR, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1
    )
    try:
        line = _first_line(process, timeout=30)
        if not line.startswith("listening "):
            raise RuntimeError(f"the Node IVR service did not start: {line!r} {process.stderr.read()[:2000]}")
        yield f"http://127.0.0.1:{int(line.split()[1])}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()


def _first_line(process: subprocess.Popen[str], *, timeout: float) -> str:
    result: list[str] = []
    reader = threading.Thread(target=lambda: result.append(process.stdout.readline()), daemon=True)
    reader.start()
    reader.join(timeout)
    return result[0].strip() if result else ""


def node_seen(base_url: str) -> list[dict[str, Any]]:
    """Every request the Node service received: method, path, query and body fields."""
    with urllib.request.urlopen(f"{base_url}/seen", timeout=10) as response:
        return json.loads(response.read())
