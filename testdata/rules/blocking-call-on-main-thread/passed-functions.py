# A function passed as an argument runs where the function it is passed to
# calls it: on the caller's thread, whatever other callers pass.
import threading
import time


def guarded(write):
    write()


def write_now():
    time.sleep(0.5)  # want "`time.sleep` blocks TouchDesigner's main thread"


def write_later():
    time.sleep(0.5)  # passed only by the worker: runs on the worker


def worker():
    guarded(write_later)


def onPulse(par):
    guarded(write_now)
    threading.Thread(target=worker).start()
