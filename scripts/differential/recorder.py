"""A recording HTTP server on 127.0.0.1 for the differential harness (standard library only).

One `Recorder` serves one CLI. It listens on a port the OS chooses, answers every request
with the canned response it was given (`set_response`), and keeps what it received: method,
path, raw query, headers in wire order, body bytes. Nothing in here ever connects anywhere.
"""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

LOOPBACK = "127.0.0.1"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # keep the terminal quiet
        pass

    def _read_body(self):
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            while True:
                line = self.rfile.readline()
                if not line:
                    break
                size = int(line.split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()  # the CRLF after a chunk
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _handle(self):
        recorder = self.server.recorder
        body = self._read_body()
        target = urlsplit(self.path)
        recorder._record({
            "method": self.command,
            "target": self.path,
            "path": target.path,
            "raw_query": target.query,
            "headers": [[k, v] for k, v in self.headers.raw_items()],
            "body": body,
        })
        status, content_type, out = recorder._response()
        self.send_response_only(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        no_body = status in (204, 304) or 100 <= status < 200
        if not no_body:
            self.send_header("Content-Length", str(len(out)))
        self.send_header("Connection", "close")
        self.end_headers()
        if not no_body and self.command != "HEAD":
            self.wfile.write(out)
        self.close_connection = True

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = _handle


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A client that hangs up early (the legacy CLI crashing mid-upload) is part of a
        # case, not a harness failure: nothing to print.
        pass


class Recorder:
    """`with Recorder() as r:` ... `r.url` ... `r.set_response(...)` ... `r.take()`."""

    def __init__(self):
        self._lock = threading.Lock()
        self._requests = []
        self._answer = (200, "application/json", b"{}")
        self._server = _Server((LOOPBACK, 0), _Handler)
        self._server.recorder = self
        self.port = self._server.server_address[1]
        self.url = "http://%s:%d" % (LOOPBACK, self.port)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def set_response(self, status, content_type, body):
        """The answer to every request from now on; `content_type` None sends no header."""
        with self._lock:
            self._answer = (int(status), content_type, body)
            self._requests = []

    def take(self):
        """The requests received since the last `set_response` or `take`."""
        with self._lock:
            taken, self._requests = self._requests, []
        return taken

    def _record(self, entry):
        with self._lock:
            self._requests.append(entry)

    def _response(self):
        with self._lock:
            return self._answer

    def close(self):
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class RefusedPort:
    """A loopback port that refuses connections while this object is open: the socket is
    bound (so no one else gets the port) but never listens (for the connection-refused cases)."""

    def __init__(self):
        import socket

        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.bind((LOOPBACK, 0))
        self.port = self._sock.getsockname()[1]
        self.url = "http://%s:%d" % (LOOPBACK, self.port)

    def close(self):
        self._sock.close()
