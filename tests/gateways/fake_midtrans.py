"""A fake Midtrans (Snap and Core API) on 127.0.0.1 for the real midtransclient to talk to:
it records every request and answers what the test set up."""
import base64
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeMidtrans:
    """`answers[(method, path)] = (status, body)`; `requests` lists what arrived."""

    def __init__(self):
        self.answers = {}
        self.requests = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, method):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                auth = self.headers.get("Authorization", "")
                user = ""
                if auth.startswith("Basic "):
                    user = base64.b64decode(auth[6:]).decode().partition(":")[0]
                fake.requests.append({"method": method, "path": self.path, "server_key": user,
                                      "body": json.loads(raw) if raw else None,
                                      "headers": {key.lower(): value for key, value in self.headers.items()}})
                status, body = fake.answers.get((method, self.path), (404, {
                    "status_code": "404", "status_message": "Transaction doesn't exist."}))
                payload = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def do_GET(self):  # noqa: N802
                self._answer("GET")

            def do_POST(self):  # noqa: N802
                self._answer("POST")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
