"""`make cluster`: the dashboard from several replicas behind HAProxy on one port, sharing an S3 store.

Starts on 127.0.0.1 only: moto's S3 server (development object storage, bucket `dashboard`; skipped when
DASHBOARD_STORE_URL is already set, e.g. to a real object store), REPLICAS Streamlit processes (default 2,
at most 4: deploy/haproxy.cfg has four server slots) sharing one freshly generated
STREAMLIT_SERVER_COOKIE_SECRET and one store, each with its own cache folder as on separate machines, and
HAProxy on PORT (default 8500). Ctrl-C stops them all.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from deploy.launch import streamlit_command

ROOT = Path(__file__).resolve().parent.parent
MAX_REPLICAS = 4


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, deadline_s: float) -> None:
    deadline = time.monotonic() + deadline_s
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer within {deadline_s:.0f}s")
        time.sleep(0.3)


def _wait_all_up(cluster: Cluster, deadline_s: float) -> None:
    """Until HAProxy has marked every replica up (it answers round robin from each in turn)."""
    wanted = {f"app{n}" for n in range(1, len(cluster.replica_ports) + 1)}
    seen: set[str] = set()
    deadline = time.monotonic() + deadline_s
    while seen != wanted:
        try:
            with urllib.request.urlopen(f"{cluster.url}/_stcore/health", timeout=2) as answer:
                seen.add(answer.headers.get("X-Dashboard-Replica", ""))
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"HAProxy did not mark every replica up within {deadline_s:.0f}s: {sorted(seen)}")
        time.sleep(0.2)


@dataclass
class Cluster:
    port: int
    replica_ports: list[int]
    env: dict[str, str]  # what a CLI or a test needs to reach the same store
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def kill(self, name: str) -> None:
        """End one process at once, as a crashed machine would (the load test's killed replica)."""
        os.killpg(self.processes[name].pid, signal.SIGKILL)
        self.processes[name].wait()

    def stop(self) -> None:
        for process in reversed(self.processes.values()):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def _spawn(cluster: Cluster, name: str, command: list[str], env: dict[str, str], log: Path) -> None:
    with open(log, "wb") as out:
        cluster.processes[name] = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


@contextlib.contextmanager
def running(replicas: int = 2, port: int | None = None, work: Path | None = None) -> Iterator[Cluster]:
    """The whole cluster, up and healthy through HAProxy; stopped on exit."""
    if not 1 <= replicas <= MAX_REPLICAS:
        raise SystemExit(f"REPLICAS는 1에서 {MAX_REPLICAS} 사이여야 합니다 (받은 값: {replicas}).")
    work = work or ROOT / "data" / "cluster"
    work.mkdir(parents=True, exist_ok=True)
    store_env = {
        name: os.environ[name]
        for name in (
            "DASHBOARD_STORE_URL",
            "AWS_ENDPOINT_URL",
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_REGION",
        )
        if os.environ.get(name)
    }
    cluster = Cluster(port or free_port(), [free_port() for _ in range(replicas)], store_env)
    try:
        if "DASHBOARD_STORE_URL" not in store_env:
            moto_port = free_port()
            command = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(moto_port)]
            _spawn(cluster, "moto", command, dict(os.environ), work / "moto.log")
            endpoint = f"http://127.0.0.1:{moto_port}"
            _wait(f"{endpoint}/moto-api/", 20)
            store_env |= {
                "DASHBOARD_STORE_URL": "s3://dashboard/store",
                "AWS_ENDPOINT_URL": endpoint,
                "AWS_ACCESS_KEY_ID": "dev",
                "AWS_SECRET_ACCESS_KEY": "dev",
                "AWS_REGION": "us-east-1",
            }
            import boto3

            boto3.client(
                "s3",
                endpoint_url=endpoint,
                region_name="us-east-1",
                aws_access_key_id="dev",
                aws_secret_access_key="dev",
            ).create_bucket(Bucket="dashboard")
        cookie_secret = secrets.token_hex(32)  # per run, never written to disk
        for number, replica_port in enumerate(cluster.replica_ports, start=1):
            env = (
                dict(os.environ)
                | store_env
                | {
                    "STREAMLIT_SERVER_COOKIE_SECRET": cookie_secret,
                    "DASHBOARD_CACHE_DIR": str(work / f"cache-{number}"),
                }
            )
            env.pop("DASHBOARD_DATA_DIR", None)
            command = streamlit_command(replica_port)
            _spawn(cluster, f"app{number}", command, env, work / f"app{number}.log")
        haproxy_env = (
            dict(os.environ)
            | {"HAPROXY_BIND": f"127.0.0.1:{cluster.port}"}
            | {f"REPLICA_{n}": f"127.0.0.1:{p}" for n, p in enumerate(cluster.replica_ports, start=1)}
        )
        command = ["haproxy", "-db", "-f", str(ROOT / "deploy" / "haproxy.cfg")]
        _spawn(cluster, "haproxy", command, haproxy_env, work / "haproxy.log")
        for replica_port in cluster.replica_ports:
            _wait(f"http://127.0.0.1:{replica_port}/_stcore/health", 90)
        _wait_all_up(cluster, 30)
        cluster.env = store_env
        yield cluster
    finally:
        cluster.stop()


def main() -> int:
    # `kill PID` stops the whole cluster like Ctrl-C does; a shell's background job ignores SIGINT.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    replicas = int(os.environ.get("REPLICAS", "2"))
    port = int(os.environ.get("PORT", "8500"))
    with running(replicas, port) as cluster:
        print(f"{cluster.url} 에서 복제본 {replicas}개가 하나의 저장소({cluster.env['DASHBOARD_STORE_URL']})를 씁니다.")
        shown = " ".join(
            f"{k}={v}" for k, v in cluster.env.items() if k not in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")
        )
        print(f"이 저장소로 가져오기 (접근 키와 함께): {shown} python -m dashboard import PATH")
        print("Ctrl-C로 모두 멈춥니다.")
        try:
            while all(p.poll() is None for p in cluster.processes.values()):
                time.sleep(1)
            stopped = [name for name, p in cluster.processes.items() if p.poll() is not None]
            print(f"멈춘 프로세스: {', '.join(stopped)} (로그: data/cluster/)", file=sys.stderr)
            return 1
        except KeyboardInterrupt:
            return 0


if __name__ == "__main__":
    sys.exit(main())
