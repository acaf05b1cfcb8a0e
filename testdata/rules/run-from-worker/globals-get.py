# run fetched from the DAT's globals is TD's run.
import threading


class RouterExt:
    def __init__(self, ownerComp):
        self.ownerComp = ownerComp

    def Request(self):
        threading.Thread(target=self._work, daemon=True).start()

    def _work(self):
        runner = globals().get('run')
        if callable(runner):
            runner('args[0].Done()', self, delayFrames=1)  # want "run\(\) is TouchDesigner's main-thread scheduler"
        also = globals()['run']
        also('pass')  # want "run\(\) is TouchDesigner's main-thread scheduler"

    def Done(self):
        pass
