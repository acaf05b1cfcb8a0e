# A per-frame callback takes the lock a TDTask holds while it loads a model.
import threading
import time

import onnxruntime as ort

tm = op.TDResources.ThreadManager
cache_lock = threading.Lock()
cache = {}


class EngineExt:
    def __init__(self, ownerComp):
        self.ownerComp = ownerComp
        self.EngineLock = threading.Lock()
        self.StatsLock = threading.Lock()
        self.session = None
        self.frames = 0

    def Load(self, path):
        tm.EnqueueTask(tm.TDTask(target=self._load, args=(path,)))

    def _load(self, path):
        with self.EngineLock:
            self.session = ort.InferenceSession(path)
        with self.StatsLock:
            self.frames = 0  # quick: the main thread may wait for this

    def OnFrame(self):
        with self.EngineLock:  # want "the main thread waits here for `self.EngineLock`, which a worker holds while it runs `onnxruntime.InferenceSession`"
            ready = self.session is not None
        with self.StatsLock:
            self.frames += 1
        if self.EngineLock.acquire(blocking=False):
            self.EngineLock.release()
        self.ownerComp.par.Ready = ready


def fetch_all():
    with cache_lock:
        refill()


def refill():
    time.sleep(1)
    cache['x'] = 1


def onFrameStart(frame):
    cache_lock.acquire()  # want "which a worker holds while it calls `refill`, which waits in `time.sleep`"
    try:
        op('out').text = str(cache)
    finally:
        cache_lock.release()


tm.EnqueueTask(tm.TDTask(target=fetch_all))
