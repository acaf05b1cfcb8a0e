import socketserver

tm = op.TDResources.ThreadManager


def listen(sock):
    while True:
        handle(sock.recv(1024))


def serve():
    server = socketserver.TCPServer(('127.0.0.1', 9000), None)
    server.serve_forever()


def bounded(q):
    while True:
        item = q.get()
        if item is None:
            break


def handle(data):
    return data


tm.EnqueueTask(tm.TDTask(target=listen, args=(None,)))  # want "`listen` never returns \(loops forever\)"
task = tm.TDTask(target=serve)
tm.EnqueueTask(task)  # want "`serve` never returns \(calls serve_forever\(\)\)"
tm.EnqueueTask(tm.TDTask(target=listen, args=(None,)), standalone=True)
tm.EnqueueTask(tm.TDTask(target=bounded, args=(None,)))
