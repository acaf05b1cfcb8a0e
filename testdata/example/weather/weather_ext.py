"""WeatherExt: the extension of /project1/weather."""
import queue

import fetch


class WeatherExt:
    def __init__(self, ownerComp):
        self.ownerComp = ownerComp
        self.updates = queue.Queue()
        self.task = None

    def Refresh(self):
        tm = op.TDResources.ThreadManager
        self.task = tm.TDTask(
            target=self.download,
            SuccessHook=self.onDone,
            RefreshHook=self.onRefresh,
        )
        tm.EnqueueTask(self.task)

    def download(self):
        # Bug: reads a parameter of the COMP from the worker thread.
        city = self.ownerComp.par.City.eval()
        return fetch.forecast(city, self.updates)

    def onRefresh(self):
        # Bug: a blocking get() on the main thread waits for the worker.
        while not self.task.thread.InfoQueue.empty():
            note = self.task.thread.InfoQueue.get()
            self.ownerComp.op('status').text = note

    def onDone(self):
        self.ownerComp.op('forecast').text = 'updated'
