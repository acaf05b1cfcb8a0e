# A plain module that never touches TD: its top level is not TD's main
# thread, and a function that only shares a callback's name (not its TD
# signature) does not make it TD code. (`def onFrameStart(frame):` would:
# see script-callbacks.py.)
import time

time.sleep(0.01)


def onFrameStart():
    time.sleep(1)
