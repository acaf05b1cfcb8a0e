"""Execute DAT: a worker writes what the main thread reads."""
import time

tm = op.TDResources.ThreadManager
latest = {'value': None}


def poll():
    for i in range(3):
        time.sleep(0.05)
        latest['value'] = i  # limit: the runtime sees calls into TD and the runtime, not Python's loads and stores, so it cannot observe this race


def onFrameStart(frame):
    if latest['value'] is not None:
        op('status').text = str(latest['value'])


tm.EnqueueTask(tm.TDTask(target=poll))
