tm = op.TDResources.ThreadManager


def fetch():
    return 1


def done():
    pass


def done_with_result(result):
    pass


def failed(error):
    pass


def failed_no_arg():
    pass


def flexible(*args):
    pass


def optional(result=None):
    pass


class Ext:
    def __init__(self, ownerComp):
        self.ownerComp = ownerComp

    def OnDone(self):
        pass

    def OnError(self, err):
        pass

    def Start(self):
        tm.EnqueueTask(tm.TDTask(target=fetch, SuccessHook=self.OnDone, ExceptHook=self.OnError))


tm.EnqueueTask(tm.TDTask(target=fetch, SuccessHook=done, ExceptHook=failed, RefreshHook=flexible))
tm.EnqueueTask(tm.TDTask(target=fetch, SuccessHook=done_with_result))  # want "SuccessHook `done_with_result` must accept no arguments, TD.s ThreadManager calls it with none; it requires 1"
tm.EnqueueTask(tm.TDTask(target=fetch, ExceptHook=failed_no_arg))  # want "ExceptHook `failed_no_arg` must accept 1 positional argument, TD.s ThreadManager passes 1; it takes none"
tm.EnqueueTask(tm.TDTask(target=fetch, SuccessHook=optional, RefreshHook=lambda: None))
tm.EnqueueTask(tm.TDTask(target=fetch, RefreshHook=lambda task: None))  # want "RefreshHook `<lambda>` must accept no arguments"
