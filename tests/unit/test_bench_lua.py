"""The Lua hooks wrk runs: every join gets an address of its own, and the
figures line comes out. Runs wrk for a second against a server in this test."""

import json
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench import wrk

pytestmark = pytest.mark.skipif(not shutil.which("wrk"), reason="wrk is not installed")


class Recorder(BaseHTTPRequestHandler):
    seen: list[str] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.seen.append(json.loads(body)["email"])
        self._answer(201 if len(self.seen) % 10 else 409)

    def do_GET(self):
        self.seen.append(self.path)
        self._answer(200)

    def _answer(self, status: int) -> None:
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    Recorder.seen = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_every_join_wrk_sends_has_an_address_never_used_before(server, tmp_path):
    body = tmp_path / "body.json"
    body.write_text('{"name": "Siân", "email": "{{EMAIL}}"}')

    outcome = wrk.run(server, wrk.Load(connections=4, seconds=1), "post.lua",
                      str(body), "r1")  # fmt: skip

    assert len(Recorder.seen) >= outcome.ok + outcome.bad > 0
    assert len(set(Recorder.seen)) == len(Recorder.seen)
    assert all(e.endswith("@bench.example.cymru") for e in Recorder.seen)
    assert outcome.bad > 0 and outcome.last_bad_status == 409


def test_paths_are_taken_in_turn_from_the_file(server, tmp_path):
    paths = tmp_path / "paths.txt"
    paths.write_text("/a?q=Caerdydd\n/b?q=Ynys%20M%C3%B4n\n")

    outcome = wrk.run(server, wrk.Load(connections=2, seconds=1), "get.lua", str(paths))

    assert outcome.bad == 0 and outcome.p99_ms > 0
    assert set(Recorder.seen) == {"/a?q=Caerdydd", "/b?q=Ynys%20M%C3%B4n"}
