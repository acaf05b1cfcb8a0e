# Request handlers run on the server's threads; executor.map runs on pool threads.
import http.server
import socketserver
from concurrent.futures import ThreadPoolExecutor


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        op('requests').appendRow([self.path])  # want "`op` touches TouchDesigner"

    def log_message(self, *args):
        pass


class UDPHandler(socketserver.DatagramRequestHandler):
    def handle(self):
        me.store('last', self.rfile.read())  # want "`me` touches TouchDesigner"


def render(row):
    return parent().name  # want "`parent` touches TouchDesigner"


with ThreadPoolExecutor(max_workers=2) as pool:
    list(pool.map(render, [1, 2]))
