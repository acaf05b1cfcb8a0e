"""Extension DAT: built by its COMP with ownerComp; TD calls its methods on
the main thread."""
import threading

from fetcher import fetch_state


class StatusExt:
    def __init__(self, ownerComp):
        self.ownerComp = ownerComp
        self.last = {}

    def Refresh(self):
        worker = threading.Thread(target=self._work, daemon=True)
        worker.start()

    def _work(self):
        self.last = fetch_state('127.0.0.1:9980')
        self.ownerComp.par.Status = 'ok'  # conflict: a worker sets a parameter

    def Reset(self):
        self.ownerComp.par.Status = ''  # main thread: fine
