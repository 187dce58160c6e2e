"""Three emulator processes behind a real nginx with deploy/nginx.conf: sandboxes spread, isolated,
each served by exactly one process, and a clear 404 once its node is gone."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
ADMIN = "cluster-admin"
YEMOT_TOKEN = "0773137770:1234"
SIMOTEL = {"auth": ("test", "Aa123456"), "headers": {"X-APIKEY": "vZKtIKWsld0egNlkzHo8i5LVBqLNBSWARCQsPOSgDjFmAHM3tG"}}
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)

if NGINX is None:
    print("tests/deploy: nginx not installed (Debian package 'nginx'); cluster test skipped", file=sys.stderr)
pytestmark = pytest.mark.skipif(NGINX is None, reason="nginx not installed (Debian package 'nginx')")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: process exited with {process.returncode}")
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.05)
    raise RuntimeError(f"{url} did not answer within 30 s")


def nginx_conf(folder: Path, listen: int, backends: list[int]) -> Path:
    """deploy/nginx.conf with this test's ports and a private prefix for nginx's own files."""
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    servers = "\n".join(f"        server 127.0.0.1:{port};" for port in backends)
    text = re.sub(r"(hash \$sandbox consistent;\n)(?:\s*server [^\n]+\n)+", rf"\1{servers}\n", text)
    text = text.replace("listen 8080;", f"listen 127.0.0.1:{listen};")
    private = (
        f"pid {folder}/nginx.pid;\nerror_log {folder}/error.log warn;\n"
        if "pid " not in text
        else f"error_log {folder}/error.log warn;\n"
    )
    temp_paths = "".join(
        f"    {kind}_temp_path {folder}/{kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    text = private + text.replace("http {\n", "http {\n" + temp_paths, 1)
    conf = folder / "nginx.conf"
    conf.write_text(text)
    return conf


@pytest.fixture
def cluster(tmp_path):
    ports = [free_port() for _ in range(3)]
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "emulator", "serve", "--port", str(port), "--log-level", "warning"],
            env={**__import__("os").environ, "EMULATOR_ADMIN_TOKEN": ADMIN},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    proxy_port = free_port()
    conf = nginx_conf(tmp_path, proxy_port, ports)
    nginx = subprocess.Popen([NGINX, "-p", str(tmp_path), "-c", str(conf), "-g", "daemon off;"])
    try:
        for port, process in zip(ports, processes, strict=True):
            wait_for(f"http://127.0.0.1:{port}/__emulator__/clock", process)
        wait_for(f"http://127.0.0.1:{proxy_port}/__emulator__/clock", nginx)
        yield f"http://127.0.0.1:{proxy_port}", ports, processes
    finally:
        for process in [nginx, *processes]:
            process.terminate()
        for process in [nginx, *processes]:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def run_job(proxy: str, number: int) -> dict:
    """A CI job through the proxy: create its sandbox, do work, read its own state back."""
    admin = {"Authorization": f"Bearer {ADMIN}"}
    sandbox_id = f"job-{number}"
    with httpx.Client(base_url=proxy, timeout=30) as http:
        made = http.post(f"/__emulator__/sandboxes?id={sandbox_id}", json={}, headers=admin)
        assert made.status_code == 201, made.text
        token = {"Authorization": f"Bearer {made.json()['token']}"}
        prefix = f"/sb/{sandbox_id}"
        marker = f"only-{sandbox_id}"
        for _ in range(number % 3 + 1):
            sent = http.post(
                f"{prefix}/ym/api/SendSms", data={"token": YEMOT_TOKEN, "phones": "0527777701", "message": marker}
            )
            assert sent.json()["responseStatus"] == "OK"
        user = {"name": marker, "number": f"{600 + number}", "secret": "Sec1234567", "user_type": "SIP"}
        assert http.post(f"{prefix}/api/v4/pbx/users/add", json=user, **SIMOTEL).json()["success"] == 1
        http.post(f"{prefix}/__emulator__/clock", json={"advance": 60}, headers=token)
        journal = http.get(f"{prefix}/__emulator__/journal", headers=token).json()["entries"]
        users = http.post(f"{prefix}/api/v4/pbx/users/search", json={"conditions": {}}, **SIMOTEL).json()["data"]
        return {
            "id": sandbox_id,
            "sms_texts": {e["params"]["message"] for e in journal if e["operation"] == "SendSms"},
            "sms_count": sum(e["operation"] == "SendSms" for e in journal),
            "job_users": sorted(u["name"] for u in users if u["name"].startswith("only-")),
            "expected_sms": number % 3 + 1,
        }


def test_thirty_sandboxes_through_nginx_are_isolated_and_each_lives_on_one_process(cluster):
    proxy, ports, processes = cluster
    with ThreadPoolExecutor(max_workers=10) as pool:
        results = list(pool.map(lambda n: run_job(proxy, n), range(30)))
    for result in results:
        marker = f"only-{result['id']}"
        assert result["sms_texts"] == {marker}
        assert result["sms_count"] == result["expected_sms"]
        assert result["job_users"] == [marker]

    owners: dict[str, list[int]] = {}
    for port in ports:
        listed = httpx.get(
            f"http://127.0.0.1:{port}/__emulator__/sandboxes", headers={"Authorization": f"Bearer {ADMIN}"}
        ).json()["sandboxes"]
        for entry in listed:
            owners.setdefault(entry["id"], []).append(port)
    assert sorted(owners) == sorted(f"job-{n}" for n in range(30))
    assert all(len(holders) == 1 for holders in owners.values()), owners
    assert len({holders[0] for holders in owners.values()}) == 3, "the ring should use every node"


def test_a_sandbox_whose_node_went_away_answers_a_clear_404(cluster):
    proxy, ports, processes = cluster
    admin = {"Authorization": f"Bearer {ADMIN}"}
    created = [httpx.post(f"{proxy}/__emulator__/sandboxes?id=gone-{n}", json={}, headers=admin) for n in range(12)]
    assert all(response.status_code == 201 for response in created)
    victim = next(
        port
        for port in ports
        if httpx.get(f"http://127.0.0.1:{port}/__emulator__/sandboxes", headers=admin).json()["count"]
    )
    lost = [
        entry["id"]
        for entry in httpx.get(f"http://127.0.0.1:{victim}/__emulator__/sandboxes", headers=admin).json()["sandboxes"]
    ]
    processes[ports.index(victim)].terminate()
    processes[ports.index(victim)].wait(timeout=10)
    answer = httpx.get(f"{proxy}/sb/{lost[0]}/ym/api/GetCustomerData", params={"token": YEMOT_TOKEN}, timeout=30)
    # nginx moves the id to the next node on the ring, which has never heard of it.
    assert answer.status_code == 404
    assert answer.json() == {
        "error": f"sandbox '{lost[0]}' does not exist on this server: it was deleted, expired after its TTL, "
        "or lived on a server that has gone away",
        "sandbox": lost[0],
    }
