import queue
import threading

latest = {}
history = []
count = 0
lock = threading.Lock()
updates = queue.Queue()


def poll():
    global count
    latest['temp'] = 21.5  # want "`latest` is written by a worker thread"
    history.append(1)  # want "`history` is written by a worker thread"
    count += 1  # want "`count` is written by a worker thread"
    updates.put(2)
    with lock:
        history.append(3)


def onFrameStart(frame):
    op('temp').par.value0 = latest.get('temp', 0)
    n = len(history) + count
    while not updates.empty():
        updates.get_nowait()


threading.Thread(target=poll).start()


class SensorExt:
    def __init__(self, ownerComp):
        self.ownerComp = ownerComp
        self.reading = None
        self.private = 0

    def Start(self):
        threading.Thread(target=self.read).start()

    def read(self):
        self.reading = 3  # want "`self.reading` is written by a worker thread"
        self.private = 4

    def Show(self):
        return self.reading
