# print() from worker threads: TD's textport is a TD object.
import threading


def load(task):
    print('loading')  # want "`print\(\)` writes to TouchDesigner's textport from a worker thread \(TDTask target\)"
    helper()


def helper():
    print('step')  # want "`print\(\)` writes to TouchDesigner's textport"


def done(task):
    print('done')  # main thread (SuccessHook): fine


tm = op.TDResources.ThreadManager
tm.EnqueueTask(tm.TDTask(target=load, SuccessHook=done))
print('queued')  # main thread: fine


class Poller(threading.Thread):
    def run(self):
        print('polling')  # want "from a worker thread \(threading.Thread subclass run\(\)\)"
