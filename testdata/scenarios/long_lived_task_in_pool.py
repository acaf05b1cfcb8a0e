"""Execute DAT: polling loops, one in the pool and one standalone."""
import queue
import time

tm = op.TDResources.ThreadManager
results = queue.Queue()


def poll(out):
    while True:
        out.put(time.time())
        time.sleep(0.1)


def drain(out):
    while True:
        item = out.get()
        if item is None:
            break


tm.EnqueueTask(tm.TDTask(target=poll, args=(results,)))
tm.EnqueueTask(tm.TDTask(target=poll, args=(results,)), standalone=True)


def onFrameStart(frame):
    while not results.empty():
        results.get_nowait()
