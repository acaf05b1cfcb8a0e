"""A bridge DAT: an HTTP server on a thread of its own; TD calls
start_bridge() from a button's script (nothing in the project calls it)."""
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer


class BridgeHandler(BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get('Content-Length', 0))
        command = json.loads(self.rfile.read(length) or b'{}')
        op('last_command').text = json.dumps(command)  # conflict: the server's thread
        self.send_response(200)
        self.end_headers()


_server = None


def start_bridge():
    global _server
    _server = HTTPServer(('127.0.0.1', 9982), BridgeHandler)
    threading.Thread(target=_server.serve_forever, daemon=True).start()
