"""A small HTTP client for the benchmark: http.client with a cookie jar, timing each request."""

from __future__ import annotations

import http.client
import json
import time
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlencode


class Client:
    """One connection per client (one client per thread). Reconnects when the server closes."""

    def __init__(self, host: str, port: int, headers: dict[str, str] | None = None, timeout: float = 600):
        self.host, self.port, self.timeout = host, port, timeout
        self.headers = dict(headers or {})
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection(host, port, timeout=timeout)

    def _headers(self, extra: dict[str, str] | None) -> dict[str, str]:
        out = dict(self.headers)
        if self.cookies:
            out["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        out.update(extra or {})
        return out

    def _remember(self, resp: http.client.HTTPResponse) -> None:
        for raw in resp.headers.get_all("Set-Cookie") or []:
            jar: SimpleCookie = SimpleCookie()
            jar.load(raw)
            for key, morsel in jar.items():
                self.cookies[key] = morsel.value

    def request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, bytes, float, http.client.HTTPMessage]:
        """(status, body, seconds, headers). Seconds run from sending to the last byte read."""
        if params:
            path = f"{path}?{urlencode(params)}"
        for attempt in range(2):
            t0 = time.perf_counter()
            try:
                self.conn.request(method, path, body=body, headers=self._headers(headers))
                resp = self.conn.getresponse()
                data = resp.read()
            except (http.client.HTTPException, OSError) as exc:
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
                retry = isinstance(
                    exc, http.client.RemoteDisconnected | ConnectionResetError | BrokenPipeError
                )
                if attempt or not retry:
                    raise
                continue
            elapsed = time.perf_counter() - t0
            self._remember(resp)
            if resp.will_close:
                self.conn.close()
            return resp.status, data, elapsed, resp.headers
        raise RuntimeError("unreachable")

    def get_json(self, path: str, params: dict[str, Any] | None = None) -> tuple[int, Any, float]:
        status, data, seconds, _ = self.request("GET", path, params=params)
        try:
            return status, json.loads(data), seconds
        except ValueError:
            return status, None, seconds

    def stream(self, path: str, chunk: int = 1 << 16) -> tuple[int, int, int, float]:
        """GET a large response without keeping it: (status, bytes, lines, seconds)."""
        t0 = time.perf_counter()
        self.conn.request("GET", path, headers=self._headers(None))
        resp = self.conn.getresponse()
        size = lines = 0
        while True:
            block = resp.read(chunk)
            if not block:
                break
            size += len(block)
            lines += block.count(b"\n")
        elapsed = time.perf_counter() - t0
        if resp.will_close:
            self.conn.close()
        return resp.status, size, lines, elapsed

    def close(self) -> None:
        self.conn.close()
