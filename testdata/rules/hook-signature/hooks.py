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
def two_required(result, task):
    pass


def three(a, b, c):
    pass


# What TD passes is undocumented: a hook is reported only if no convention
# seen in TD's docs or in working code fits it.
tm.EnqueueTask(tm.TDTask(target=fetch, SuccessHook=done_with_result))  # 0 or 1: the result
tm.EnqueueTask(tm.TDTask(target=fetch, ExceptHook=failed_no_arg))  # want "ExceptHook `failed_no_arg` must accept 1 or 2 positional arguments.*; it takes none"
tm.EnqueueTask(tm.TDTask(target=fetch, SuccessHook=two_required))  # want "SuccessHook `two_required` must accept 0 or 1 positional arguments.*; it requires 2"
tm.EnqueueTask(tm.TDTask(target=fetch, ExceptHook=three))  # want "ExceptHook `three` must accept 1 or 2"
tm.EnqueueTask(tm.TDTask(target=fetch, SuccessHook=optional, RefreshHook=lambda: None))
tm.EnqueueTask(tm.TDTask(target=fetch, RefreshHook=lambda task: None))  # TD's own example: on_refresh(task)
tm.EnqueueTask(tm.TDTask(target=fetch, RefreshHook=lambda task, extra: None))  # want "RefreshHook `<lambda>` must accept 0 or 1"
