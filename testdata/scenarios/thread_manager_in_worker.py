"""Execute DAT: a worker tries to start a sub-task through the ThreadManager."""
import threading

tm = op.TDResources.ThreadManager


def part(n):
    return n * 2


def fan_out():
    manager = op.TDResources.ThreadManager
    manager.EnqueueTask(manager.TDTask(target=part, args=(1,)))


def fan_out_threads():
    workers = [threading.Thread(target=part, args=(n,)) for n in range(3)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()


tm.EnqueueTask(tm.TDTask(target=fan_out))
tm.EnqueueTask(tm.TDTask(target=fan_out_threads))
