"""Callbacks DAT: blocking calls on the main thread, and their fixes."""
import queue
import threading
import time

import requests

tm = op.TDResources.ThreadManager
replies = queue.Queue()


def fetch(out):
    time.sleep(0.2)
    out.put(requests.get('http://127.0.0.1:8000/state').text)


def onFrameStart(frame):
    if frame == 2:
        time.sleep(0.05)
    if frame == 10:
        reply = requests.get('http://127.0.0.1:8000/state')
        op('raw').text = reply.text
    if frame == 40:
        tm.EnqueueTask(tm.TDTask(target=fetch, args=(replies,)))
        op('raw').text = replies.get()
    if frame == 80:
        helper = threading.Thread(target=fetch, args=(replies,))
        helper.start()
        helper.join()
    while not replies.empty():
        op('raw').text = replies.get_nowait()
