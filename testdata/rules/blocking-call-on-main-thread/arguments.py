# Whether a call waits depends on its arguments and on what it is called on.
import socket
import subprocess
import threading
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, HTTPServer, ThreadingHTTPServer

pool = ThreadPoolExecutor(max_workers=2)
worker = threading.Thread(target=lambda: None)
ready = threading.Event()
server = None
proc = None


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)


class BridgeServer(ThreadingHTTPServer):
    daemon_threads = True


def onStart():
    global server, proc
    server = HTTPServer(('127.0.0.1', 9980), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    proc = subprocess.Popen(['sleep', '1'])


def onExit():
    server.shutdown()  # want "`http.server.HTTPServer.shutdown` blocks"
    server.server_close()
    BridgeServer(('127.0.0.1', 9981), Handler).shutdown()  # want "`http.server.ThreadingHTTPServer.shutdown` blocks"
    pool.shutdown(wait=False)
    pool.shutdown(False)
    pool.shutdown()  # want "`concurrent.futures.ThreadPoolExecutor.shutdown` blocks"
    worker.join(timeout=0)
    worker.join(0.0)
    worker.join(5)  # want "`threading.Thread.join` blocks"
    ready.wait(0)
    proc.wait()  # want "`subprocess.Popen.wait` blocks"
    proc.wait(timeout=0)


def onPulse(par):
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.connect(('127.0.0.1', 7000))  # UDP: no handshake, no wait
    udp.sendto(b'x', ('127.0.0.1', 7000))
    udp.recvfrom(1024)  # want "`socket.UDPSocket.recvfrom` blocks"
    tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    tcp.connect(('127.0.0.1', 7001))  # want "`socket.socket.connect` blocks"
    opener = urllib.request.build_opener()
    opener.open('http://127.0.0.1/')  # want "`urllib.request.build_opener.open` blocks"
    ui.messageBox('Saved', 'Done')  # a dialog a user's pulse asked for: the point


class ListenerExt:
    def __init__(self, ownerComp):
        self.ownerComp = ownerComp
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setblocking(False)

    def Poll(self):
        try:
            data = self.sock.recv(4096)  # non-blocking socket: returns at once
        except BlockingIOError:
            data = b''
        return data


def onFrameStart(frame):
    if op('alerts').numRows > 1:
        warn('Sensor lost')


def warn(text):
    ui.messageBox('Alert', text)  # want "`td.ui.messageBox` opens a modal dialog in code TD runs on its own"


class FamExt:
    def __init__(self, ownerComp):
        self.ownerComp = ownerComp

    def onParUpdateall(self, par):
        if ui.messageBox('Update', 'Update all?', buttons=['Cancel', 'Update']) == 1:
            self.ownerComp.par.Status = 'updating'
