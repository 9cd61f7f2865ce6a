"""A partner's HTTPS endpoint for tests, as a process of its own:
`python -m tests.support.webhook_receiver PORT CERT KEY LOG ANSWERS`.
Each POST is written to LOG as one JSON line (headers and body, untouched);
ANSWERS is a comma-separated list of status codes to answer with in turn
(the last one repeats), such as `500,503,200`."""

import base64
import json
import ssl
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def main(port: str, cert: str, key: str, log: str, answers: str) -> None:
    codes = [int(code) for code in answers.split(",")]
    seen = {"count": 0}

    class Endpoint(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (the name http.server calls)
            body = self.rfile.read(int(self.headers["Content-Length"]))
            with open(log, "a", encoding="utf-8") as handle:
                record = {
                    "headers": {k.lower(): v for k, v in self.headers.items()},
                    "body": base64.b64encode(body).decode(),
                }
                handle.write(json.dumps(record) + "\n")
            code = codes[min(seen["count"], len(codes) - 1)]
            seen["count"] += 1
            reply = json.dumps({"received": code < 300}).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", int(port)), Endpoint)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    server.serve_forever()


if __name__ == "__main__":
    main(*sys.argv[1:])
