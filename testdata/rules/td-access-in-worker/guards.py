# Code under a runtime thread guard runs only on the thread the guard names.
import threading
from threading import current_thread as this_thread, main_thread as first_thread

import td


class BridgeExt:
    def __init__(self, ownerComp):
        self.ownerComp = ownerComp

    def Start(self):
        threading.Thread(target=self._loop, daemon=True).start()

    def _loop(self):
        self.Log('tick')
        self._maybe_update()
        self._early_return()
        self._flag_guard()
        self._aliased_guard()
        op('status')  # want "`op` touches TouchDesigner from a worker thread"

    def Log(self, msg):
        if threading.current_thread() is threading.main_thread():
            self.ownerComp.par.Status = msg  # guarded: main only
        else:
            self.ownerComp.par.Status = msg  # want "touches TouchDesigner from a worker thread"

    def _maybe_update(self):
        if td.isMainThread():
            op('out').text = 'x'  # guarded
        if threading.main_thread() == threading.current_thread():
            op('out').text = 'y'  # reversed operands, ==
        if not td.isMainThread():
            return
        op('out').text = 'after the early return'  # main only

    def _early_return(self):
        if threading.current_thread() is not threading.main_thread():
            return
        me.par.Value = 1  # main only

    def _flag_guard(self):
        on_main = threading.current_thread() is threading.main_thread()
        if on_main and self.ownerComp is not None:
            self.ownerComp.cook(force=True)  # guarded by a flag in a conjunction
        if on_main:
            pass
        else:
            parent().par.Value = 2  # want "`parent` touches TouchDesigner"

    def _aliased_guard(self):
        # The guard's calls through aliases: no guard word in this
        # function's text, the same test.
        if this_thread() is first_thread():
            op('out').text = 'z'  # guarded
        else:
            op('out').text = 'w'  # want "`op` touches TouchDesigner from a worker thread"
