"""Module DAT /project1/lib/fetch: HTTP helpers used by worker tasks."""
import json
import urllib.request


def forecast(city, updates):
    updates.put('fetching ' + city)
    with urllib.request.urlopen('http://127.0.0.1:8000/' + city, timeout=5) as reply:
        data = json.load(reply)
    remember(data)
    return data


def remember(data):
    # Bug: called from the worker, this writes to a DAT.
    op('cache').text = json.dumps(data)
