# Values through attributes, constructor arguments, thread arguments,
# class-qualified targets and subclass overrides.
import threading
from concurrent.futures import ThreadPoolExecutor


class Handler:
    def __init__(self, ext):
        self.ext = ext  # the extension, handed to the constructor

    def handle(self):
        ext = self.ext
        ext.executor.submit(lambda: ext.ownerComp.par.Status)  # want "`ext.ownerComp` touches TouchDesigner"


class ServiceExt:
    def __init__(self, ownerComp):
        self.ownerComp = ownerComp
        self.executor = ThreadPoolExecutor(max_workers=1)
        self.handler = Handler(self)
        self.ThreadManager = op.TDResources.ThreadManager

    def onDestroyTD(self):
        self.ThreadManager = None  # a placeholder does not hide the value above

    def Start(self):
        tm = self.ThreadManager
        tm.EnqueueTask(tm.TDTask(target=self._train))
        threading.Thread(target=ServiceExt._loop, args=(self,)).start()
        threading.Thread(target=poll, args=(self,)).start()

    def _train(self):
        return self._fit()

    def _fit(self):
        raise NotImplementedError

    def _loop(self):
        self.ownerComp.par.Busy = 1  # want "`self.ownerComp` touches TouchDesigner"


class TrainerExt(ServiceExt):
    def _fit(self):
        return me.par.Epochs.eval()  # want "`me` touches TouchDesigner"


def poll(ext):
    return ext.ownerComp.par.Rate  # want "`ext.ownerComp` touches TouchDesigner"


class SnapshotExt:
    # Fields that hold plain values read off TD objects on the main thread
    # (a string, a name) are Python data: a worker reads them safely.
    def __init__(self, ownerComp):
        self.ownerComp = ownerComp
        self.url = ownerComp.par.Url.eval()
        self.label = op('title').name
        self.target = op('out')

    def Start(self):
        threading.Thread(target=self._fetch).start()

    def _fetch(self):
        print_url = self.url
        print_label = self.label
        self.target.text = print_url + print_label  # want "`self.target` touches TouchDesigner"
