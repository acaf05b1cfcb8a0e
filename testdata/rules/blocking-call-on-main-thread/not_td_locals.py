# TD's global names used as locals and names from a star import are not TD:
# this file never touches TD, so its top level is not TD's main thread.
import os
import time
from turtle import *


def split(path):
    name, ext = os.path.splitext(path)
    for mod in (name,):
        parent = mod
    return ext, parent


clear()
time.sleep(0.01)


def onFrameStart():  # not TD's signature (it passes frame)
    time.sleep(1)
