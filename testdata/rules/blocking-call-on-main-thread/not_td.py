# A plain module that never touches TD: its top level is not TD's main thread.
import time

time.sleep(0.01)


def onFrameStart(frame):
    time.sleep(1)
