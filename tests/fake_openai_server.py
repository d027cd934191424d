"""A real local HTTP server speaking OpenAI chat completions, with scripted answers.

    with FakeOpenAIServer(["<|begin_of_box|>[[100,200,300,400]]<|end_of_box|>"]) as server:
        ChatOpenAI(base_url=server.base_url, model="glm", api_key="x")  # base_url ends in /v1

Each POST /v1/chat/completions must carry at least one image as a base64 `data:image/...` URL that
decodes to a real image (else 400, as a strict server would answer). Answers are taken in order from
the script; an entry may be a string, a (status, body) pair for an error, or a callable
`(request_json) -> str`. Every request body is kept in `requests`.
"""

from __future__ import annotations

import base64
import io
import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from PIL import Image

__all__ = ["FakeOpenAIServer"]

Scripted = str | tuple[int, Any] | Callable[[dict[str, Any]], str]


def _images_in(body: dict[str, Any]) -> list[Image.Image]:
    found = []
    for msg in body.get("messages", []):
        content = msg.get("content")
        if not isinstance(content, list):
            continue
        for block in content:
            if isinstance(block, dict) and block.get("type") == "image_url":
                url = (block.get("image_url") or {}).get("url", "")
                if not url.startswith("data:image/") or ";base64," not in url:
                    raise ValueError(f"image_url is not a base64 data URL: {url[:40]!r}")
                img = Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1], validate=True)))
                img.load()
                found.append(img)
    return found


class FakeOpenAIServer:
    def __init__(self, script: list[Scripted] | None = None, require_image: bool = True):
        self.script: list[Scripted] = list(script or [])
        self.require_image = require_image
        self.requests: list[dict[str, Any]] = []
        self.image_sizes: list[tuple[int, int]] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def __enter__(self) -> FakeOpenAIServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _next(self, body: dict[str, Any]) -> tuple[int, Any]:
        with self._lock:
            if not self.script:
                return 500, {"error": {"message": "the fake server's script is exhausted", "type": "server_error"}}
            item = self.script.pop(0)
        if isinstance(item, tuple):
            return item
        text = item(body) if callable(item) else item
        return 200, {
            "id": f"chatcmpl-{len(self.requests)}", "object": "chat.completion", "created": int(time.time()),
            "model": body.get("model", "fake"),
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        }

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output quiet
                pass

            def _send(self, status: int, payload: Any) -> None:
                data = json.dumps(payload).encode() if not isinstance(payload, bytes) else payload
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                if self.path.rstrip("/") != "/v1/chat/completions":
                    self._send(404, {"error": {"message": f"no route {self.path}"}})
                    return
                try:
                    body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
                    images = _images_in(body)
                    if server.require_image and not images:
                        raise ValueError("the request has no image_url content block")
                except (ValueError, OSError) as exc:
                    self._send(400, {"error": {"message": f"bad request: {exc}", "type": "invalid_request_error"}})
                    return
                with server._lock:
                    server.requests.append(body)
                    server.image_sizes.extend(img.size for img in images)
                status, payload = server._next(body)
                self._send(status, payload)

        return Handler
