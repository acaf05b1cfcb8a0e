# A worker hands its result to the main thread with run() when TD is there,
# and falls back to applying it itself outside TD (tests, a plain Python
# process). The fallback never runs in TD.
import threading


class RouterExt:
    def __init__(self, ownerComp):
        self.ownerComp = ownerComp
        self.count = 0

    def Request(self):
        threading.Thread(target=self._work, daemon=True).start()

    def _work(self):
        self._handoff({'ok': True})

    def _handoff(self, result):
        run_func = globals().get('run')
        if callable(run_func) and self.ownerComp is not None:
            try:
                run_func('args[0].Apply(args[1])', self, result, endFrame=True)
                return
            except Exception:
                pass
        self.Apply(result)  # outside TD only

    def Apply(self, result):
        self.ownerComp.par.Status = str(result)  # main thread (run) or outside TD: fine

    def _work2(self):
        if callable(globals().get('run')):
            print('in TD')
        self.ownerComp.par.Status = 'x'  # want "`self.ownerComp` touches TouchDesigner from a worker thread"

    def Request2(self):
        threading.Thread(target=self._work2, daemon=True).start()
