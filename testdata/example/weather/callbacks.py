"""Callbacks DAT of /project1/weather (a Parameter Execute DAT)."""
import time

import requests

WEATHER_URL = 'http://127.0.0.1:8000/forecast'


def onValueChange(par, prev):
    # Bug: an HTTP request on the main thread freezes TD until it answers.
    reply = requests.get(WEATHER_URL, timeout=5)
    op('raw').text = reply.text


def onPulse(par):
    # Bug: run() receives the result of reset(), which runs now.
    run(reset(), delayFrames=30)
    # Bug: the keyword is delayMilliSeconds.
    run(reset, delayMilliseconds=500)


def onFrameStart(frame):
    # Bug: sleeping on the main thread drops frames.
    time.sleep(0.005)


def reset():
    op('raw').text = ''
