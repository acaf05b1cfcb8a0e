# Members TD documents as safe in threads, and plain Python reached on the
# main thread, are not TD access from a worker.
import threading

tm = op.TDResources.ThreadManager


class LoaderExt:
    def __init__(self, ownerComp):
        self.ownerComp = ownerComp
        self.SafeLogger = ownerComp.op('logger').Logger
        self.helpers = mod('helpers')  # a module: plain Python once fetched
        self.utils = op('utils').module
        self.task = None

    def Start(self):
        frame = op('in1').numpyArray()  # a copy made on the main thread
        self.task = tm.TDTask(target=self._work, args=(frame,), RefreshHook=self._refresh)
        tm.EnqueueTask(self.task)

    def _work(self, frame):
        self.SafeLogger.info('working on %s', frame.shape)
        self.task.SetProgressSafe(0.5)
        state = self.task.GetStateSafe()
        self.task.thread.InfoQueue.put(state)
        if self.helpers.ready(frame):
            self.utils.process(frame)
        jitter = tdu.rand(3) + tdu.clamp(frame.mean(), 0, 1)
        tdu.Dependency(jitter)  # want "`tdu` touches TouchDesigner from a worker thread"
        tdu.expandPath('project.folder')  # want "`tdu` touches TouchDesigner from a worker thread"
        mod('helpers').ready(frame)  # want "`mod` touches TouchDesigner from a worker thread"
        self.ownerComp.par.Progress = 1  # want "`self.ownerComp` touches TouchDesigner from a worker thread"

    def _refresh(self, *args):
        q = self.task.thread.InfoQueue
        while not q.empty():
            self.ownerComp.par.State = q.get_nowait()


class Poller:
    def __init__(self, ownerComp):
        self.ownerComp = ownerComp

    def Start(self):
        threading.Thread(target=self._poll).start()

    def _poll(self):
        comp = op('x')  # want "`op` touches TouchDesigner"
        if self.ownerComp is not None and comp is None:
            pass  # comparing references calls nothing of TD's
        if self.ownerComp.par is None:  # want "`self.ownerComp` touches TouchDesigner"
            pass
