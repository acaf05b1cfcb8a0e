"""Execute DAT: a worker and the main thread both update a counter."""
import time

tm = op.TDResources.ThreadManager
stats = {'frames': 0}


def poll():
    for i in range(3):
        time.sleep(0.05)
        stats['frames'] = stats['frames'] + 1  # limit: the runtime sees calls into TD and the runtime, not Python's loads and stores, so it cannot observe this lost update


def onFrameStart(frame):
    if stats['frames'] > 2:
        stats['frames'] = 0
        op('status').text = 'reset'


tm.EnqueueTask(tm.TDTask(target=poll))
