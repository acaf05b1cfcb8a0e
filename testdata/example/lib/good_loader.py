"""Execute DAT /project1/lib/good_loader: the pattern tdlint accepts."""
import json
import queue
import urllib.request

results = queue.Queue()


def load(url, out):
    # Worker: plain values in, plain values out through a queue.
    with urllib.request.urlopen(url, timeout=5) as reply:
        out.put(json.load(reply))


def onStart():
    url = op('settings').par.Url.eval()
    tm = op.TDResources.ThreadManager
    tm.EnqueueTask(tm.TDTask(target=load, args=(url, results), SuccessHook=onLoaded))


def onLoaded():
    op('status').text = 'loaded'


def onFrameStart(frame):
    while not results.empty():
        data = results.get_nowait()
        op('table').text = json.dumps(data)
