# What is a race under the GIL, and what is not.
import collections
import queue
import threading

latest = {}
history = []
count = 0
frames = 0
lock = threading.Lock()
updates = queue.Queue()
mailbox = collections.deque()
session = None


def poll():
    global count, session, frames
    latest['temp'] = 21.5  # want "`latest` changes size in a worker thread .* while the main thread iterates it"
    history.append(1)  # a list appended while read: safe under the GIL
    count += 1  # want "`count` is updated by a worker thread .* an update can be lost"
    frames = 1  # written by the worker alone: safe
    updates.put(2)
    mailbox.append(3)  # a deque is a thread-safe mailbox
    with lock:
        history.append(3)
    temp = object()
    session = temp  # one rebinding publishes a finished object: safe


def onFrameStart(frame):
    global count
    for name, value in latest.items():
        op('temp').par.value0 = value
    n = len(history) + frames
    count = 0
    while not updates.empty():
        updates.get_nowait()
    while mailbox:
        mailbox.popleft()
    if session is not None:
        pass


threading.Thread(target=poll).start()

is_loading = False
model = None


def onCook(scriptOp):
    if is_loading:
        return
    if model is None:
        threading.Thread(target=load).start()


def load():
    global is_loading, model
    is_loading = True  # want "`is_loading` guards the start of this worker but is set by the worker itself"
    model = object()
    is_loading = False


ready = False


def onPulse(par):
    global ready
    ready = True  # set on the main thread before the start: fine
    if ready:
        threading.Thread(target=prepare).start()


def prepare():
    global ready
    ready = False


class TrackerExt:
    def __init__(self, ownerComp):
        self.ownerComp = ownerComp
        self.x = 0
        self.y = 0
        self.hits = 0
        self.result = None

    def Start(self):
        threading.Thread(target=self.track, daemon=True).start()

    def track(self):
        while True:
            self.x = 1  # want "`self.x` is rewritten in a loop of a worker thread .* together with `self.y`"
            self.y = 2
            self.hits = self.hits + 1  # want "`self.hits` is updated by a worker thread"
        self.result = 3

    def Draw(self):
        self.ownerComp.par.Tx = self.x
        self.ownerComp.par.Ty = self.y
        self.hits = 0
        return self.result
