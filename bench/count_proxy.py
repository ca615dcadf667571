#!/usr/bin/env python3
"""A tiny counting reverse proxy for row (e) of bench/run.sh (waitfor).

    count_proxy.py UPSTREAM_URL LOG_FILE

Listens on 127.0.0.1 (a free port), prints
`count proxy listening on http://127.0.0.1:PORT` on stderr, forwards every request to
UPSTREAM_URL (the emulator) and appends one line per request to LOG_FILE:
`<monotonic seconds> <METHOD> <path>`. run.sh counts the lines and measures the gaps between
them, so "requests sent" is observed from outside the CLI, with no flag (such as --debug) that
would change what the CLI does or how much CPU it uses. Standard library only.
"""

import http.client
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

upstream = urllib.parse.urlsplit(sys.argv[1])
if upstream.hostname not in ("127.0.0.1", "localhost"):
    sys.exit("count_proxy.py: upstream must be on loopback")
log = open(sys.argv[2], "a", buffering=1)
lock = threading.Lock()

# Hop-by-hop headers and the ones http.server writes itself.
SKIP_REQUEST = {"host", "connection", "keep-alive", "proxy-connection", "te", "upgrade"}
SKIP_RESPONSE = SKIP_REQUEST | {"transfer-encoding", "content-length", "server", "date"}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like the real API

    def forward(self):
        with lock:
            log.write(f"{time.monotonic():.6f} {self.command} {self.path}\n")
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items() if k.lower() not in SKIP_REQUEST}
        conn = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=60)
        try:
            conn.request(self.command, self.path, body, headers)
            resp = conn.getresponse()
            data = resp.read()
        finally:
            conn.close()
        self.send_response(resp.status)
        for k, v in resp.getheaders():
            if k.lower() not in SKIP_RESPONSE:
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = forward

    def log_message(self, *args):  # quiet: the log file is the record
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(f"count proxy listening on http://127.0.0.1:{server.server_address[1]}",
      file=sys.stderr, flush=True)
server.serve_forever()
