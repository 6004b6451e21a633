"""The Bitrix24 stand-in for the client's tests (``b2b_bitrix_bridge.lib`` itself is importable
without Odoo through the repository's conftest.py)."""
import pytest

from b2b_base.tools import checkout


@pytest.fixture
def standin_module():
    return checkout.load_standin("bitrix24")


@pytest.fixture
def portal(standin_module):
    """A running Bitrix24 stand-in with Bitrix24's own limits (2 requests/s, burst 50)."""
    with standin_module.Bitrix24StandIn() as running:
        yield running


class EventSink:
    """A tiny HTTP server standing for the portal's event handler: it records every POST as
    ``(path, content type, [(key, value)] of the form)`` and answers 200 ``OK``."""

    def __init__(self):
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
        from urllib.parse import parse_qsl
        sink = self
        self.received = []
        self.lock = threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with sink.lock:
                    sink.received.append((self.path, self.headers.get("Content-Type"),
                                          parse_qsl(raw.decode("utf-8"), keep_blank_values=True)))
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"OK")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,),
                                       daemon=True)
        self.thread.start()
        self.url = "http://127.0.0.1:%d/b2b/bitrix/event" % self.server.server_address[1]

    def forms(self):
        """The received posts as dicts (key -> value), in arrival order."""
        with self.lock:
            return [dict(pairs) for _path, _ctype, pairs in self.received]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def sink():
    running = EventSink()
    yield running
    running.close()


@pytest.fixture
def fast_portal(standin_module):
    """A running Bitrix24 stand-in without a rate limit (for tests where the limit is not the point)."""
    with standin_module.Bitrix24StandIn(rate=None) as running:
        yield running
