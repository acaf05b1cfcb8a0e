"""Text DAT /project1/osc/listener: receives packets on a socket."""
import socket

tm = op.TDResources.ThreadManager
packets = []


def listen(port):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(('127.0.0.1', port))
    while True:
        data, _ = sock.recvfrom(4096)
        packets.append(data)


def start():
    port = int(op('settings').par.Port.eval())
    # Bug: a never-ending loop holds one of the pool's workers forever.
    tm.EnqueueTask(tm.TDTask(target=listen, args=(port,)))


def start_standalone():
    port = int(op('settings').par.Port.eval())
    tm.EnqueueTask(tm.TDTask(target=listen, args=(port,)), standalone=True)
