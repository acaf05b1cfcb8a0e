"""Callbacks DAT in the Python TD ships (3.11): a dataclass request, an
f-string URL, a subclass calling super(), and a TDTask whose target
touches TD from the worker."""
from dataclasses import dataclass, field

import requests

tm = op.TDResources.ThreadManager


@dataclass
class Request:
    host: str
    port: int = 8000
    tags: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/state"


class Fetcher:
    def __init__(self, req: Request):
        self.req = req

    def fetch(self) -> str:
        return requests.get(self.req.url).text


class LoggingFetcher(Fetcher):
    def fetch(self) -> str:
        body = super().fetch()
        op('log').text = f"{len(body)} bytes"  # conflict: on the worker
        return body


def on_done():
    op('status').text = 'ok'  # a SuccessHook runs on the main thread


def onFrameStart(frame):
    if frame == 1 and (f := LoggingFetcher(Request('127.0.0.1'))):
        tm.EnqueueTask(tm.TDTask(target=f.fetch, SuccessHook=on_done))
