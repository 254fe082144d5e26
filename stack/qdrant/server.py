"""Qdrant stand-in: Qdrant's engine (qdrant-edge-py) behind the subset of Qdrant's REST API the project uses.

Usage: server.py --port 6333 --storage DIR [--host 127.0.0.1]
Set QDRANT__SERVICE__API_KEY to require an `api-key` header, as Qdrant does.
"""

from __future__ import annotations

import argparse
import hmac
import json
import os
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.metadata import version
from pathlib import Path
from types import FrameType
from typing import Callable
from urllib.parse import parse_qsl, urlsplit

from errors import ApiError, format_error
from registry import Registry
from routes import Request, route
from translate import Json

API_VERSION = "1.19.0"  # the version of ../shared/qdrant/openapi.json this layer follows
HEALTH = {"/healthz": "healthz check passed", "/livez": "healthz check passed", "/readyz": "all shards are ready"}
FLUSH_INTERVAL_SECONDS = 5.0
OPTIMIZE_INTERVAL_SECONDS = 2.0


class StandinServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], registry: Registry, api_key: str | None) -> None:
        super().__init__(address, Handler)
        self.registry = registry
        self.api_key = api_key


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: StandinServer

    def do_GET(self) -> None:
        self.handle_api("GET")

    def do_POST(self) -> None:
        self.handle_api("POST")

    def do_PUT(self) -> None:
        self.handle_api("PUT")

    def do_PATCH(self) -> None:
        self.handle_api("PATCH")

    def do_DELETE(self) -> None:
        self.handle_api("DELETE")

    def log_message(self, format: str, *args: object) -> None:
        pass  # no access log: the benchmark path stays lean; errors are logged in handle_api

    def handle_api(self, method: str) -> None:
        started = time.perf_counter()
        url = urlsplit(self.path)
        path = url.path.rstrip("/") or "/"
        raw = self.read_body()
        if raw is None:
            return
        if method == "GET" and path in HEALTH:
            self.send(200, HEALTH[path].encode(), "text/plain; charset=utf-8")
            return
        if method == "GET" and path == "/":
            info = {"title": f"qdrant - vector search engine (qdrant-edge-py {version('qdrant-edge-py')} stand-in)", "version": API_VERSION, "commit": None}
            self.send(200, json.dumps(info).encode())
            return
        try:
            self.authorize()
            handler, params = route(method, path)
            result = handler(Request(self.server.registry, params, dict(parse_qsl(url.query)), parse_json(raw)))
            status, body = 200, {"result": result, "status": "ok", "time": time.perf_counter() - started}
        except ApiError as error:
            status, body = error.status, error_body(error.message, started)
        except KeyError as error:
            status, body = 400, error_body(f"Format error in JSON body: missing field `{error.args[0]}`", started)
        except (TypeError, ValueError) as error:
            status, body = 400, error_body(f"Format error in JSON body: {error}", started)
        except Exception as error:
            if type(error) is Exception:  # qdrant_edge reports rejected input as a bare Exception
                status, body = 400, error_body(f"Wrong input: {error}", started)
            else:
                status, body = 500, error_body(f"Service internal error: {error!r}", started)
        if status >= 500:
            print(f"{method} {self.path} -> {status}: {body['status']['error']}", file=sys.stderr, flush=True)
        self.send(status, json.dumps(body, separators=(",", ":")).encode())

    def read_body(self) -> bytes | None:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            self.send(411, json.dumps(error_body("chunked request bodies are not supported: send Content-Length", time.perf_counter())).encode())
            self.close_connection = True
            return None
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def authorize(self) -> None:
        expected = self.server.api_key
        if expected is None:
            return
        given = self.headers.get("api-key") or self.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(given.encode(), expected.encode()):
            raise ApiError(401, "Unauthorized: Must provide an API key or an Authorization bearer token")

    def send(self, status: int, body: bytes, content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def parse_json(raw: bytes) -> Json:
    if not raw.strip():
        return None
    try:
        return json.loads(raw)
    except ValueError as error:
        raise format_error(str(error)) from None


def error_body(message: str, started: float) -> dict[str, Json]:
    return {"status": {"error": message}, "time": time.perf_counter() - started}


def every(interval: float, task: Callable[[], None], what: str, stop: threading.Event) -> None:
    while not stop.wait(interval):
        try:
            task()
        except Exception as error:  # a collection deleted mid-task; the next round is clean
            print(f"{what} failed: {error!r}", file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=6333)
    parser.add_argument("--storage", type=Path, required=True, help="directory holding the collections")
    args = parser.parse_args()

    registry = Registry(args.storage.resolve())
    server = StandinServer((args.host, args.port), registry, os.environ.get("QDRANT__SERVICE__API_KEY") or None)
    stop = threading.Event()
    # the write-ahead log kept short, so a restart replays little (Qdrant flushes every 5 s too);
    # the optimizers run in the background, as in Qdrant, so large collections get their HNSW index
    workers = [
        threading.Thread(target=every, args=(FLUSH_INTERVAL_SECONDS, registry.flush_all, "flush", stop), daemon=True),
        threading.Thread(target=every, args=(OPTIMIZE_INTERVAL_SECONDS, registry.optimize_all, "optimize", stop), daemon=True),
    ]
    for worker in workers:
        worker.start()

    def shut_down(signum: int, _frame: FrameType | None) -> None:
        print(f"received {signal.Signals(signum).name}, shutting down", flush=True)
        # shutdown() waits for serve_forever(), which runs in this (main) thread: call it from another one
        threading.Thread(target=server.shutdown).start()

    signal.signal(signal.SIGTERM, shut_down)
    signal.signal(signal.SIGINT, shut_down)
    print(f"qdrant stand-in listening on http://{args.host}:{args.port}, storage {args.storage}, collections: {registry.names()}", flush=True)
    try:
        server.serve_forever()
    finally:
        stop.set()
        for worker in workers:
            worker.join()
        server.server_close()
        registry.close_all()
        print("stopped; collections flushed and closed", flush=True)


if __name__ == "__main__":
    main()
