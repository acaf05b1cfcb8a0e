# A Script TOP's callbacks DAT that only uses its parameters is TD code:
# TD calls onCook on its main thread every frame.
import threading
import time


def load(scriptOp):
    time.sleep(2)  # want "`time.sleep` blocks TouchDesigner's main thread"


def onSetupParameters(scriptOp):
    return


def onCook(scriptOp):
    load(scriptOp)
    threading.Thread(target=fetch).start()


def fetch():
    print('fetching')  # a worker: TD106's, not this rule's
    time.sleep(1)
