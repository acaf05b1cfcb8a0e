"""Execute DAT: the main thread takes the lock a worker holds while it waits."""
import threading
import time

tm = op.TDResources.ThreadManager
engine_lock = threading.Lock()
state = {'model': None}


def load():
    with engine_lock:
        time.sleep(0.5)
        state['model'] = 'loaded'


def onFrameStart(frame):
    with engine_lock:
        ready = state['model'] is not None
    op('status').text = str(ready)


tm.EnqueueTask(tm.TDTask(target=load))
