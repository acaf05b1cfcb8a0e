import time
import queue
import subprocess
import threading
from urllib.request import urlopen

import requests

results = queue.Queue()
worker = threading.Thread(target=lambda: None)


def onFrameStart(frame):
    time.sleep(0.01)  # want "`time.sleep` blocks TouchDesigner's main thread"
    item = results.get()  # want "`queue.Queue.get` blocks"
    item = results.get(block=False)
    item = results.get_nowait()
    drain()


def drain():
    worker.join()  # want "`threading.Thread.join` blocks"


def onValueChange(par, prev):
    requests.get('http://127.0.0.1/')  # want "`requests.get` blocks"
    urlopen('http://127.0.0.1/')  # want "`urllib.request.urlopen` blocks"
    subprocess.run(['ls'])  # want "`subprocess.run` blocks"
    ', '.join(['a', 'b'])


def on_refresh():
    while not task.thread.InfoQueue.empty():
        data = task.thread.InfoQueue.get()  # want "`InfoQueue.get\(\)` blocks"
        data = task.thread.InfoQueue.get(block=False)


def background():
    time.sleep(1)  # only a worker runs this: fine


tm = op.TDResources.ThreadManager
task = tm.TDTask(target=background, RefreshHook=on_refresh)
tm.EnqueueTask(task)


from concurrent.futures import ThreadPoolExecutor

executor = ThreadPoolExecutor(max_workers=2)


def onPulse(par):
    future = executor.submit(background)
    value = future.result()  # want "`concurrent.futures.Future.result` blocks"
    done = threading.Event()
    done.wait()  # want "`threading.Event.wait` blocks"
