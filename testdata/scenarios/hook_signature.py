"""Execute DAT: hooks that cannot take what TD passes them."""
tm = op.TDResources.ThreadManager


def work():
    return 42


def broken():
    raise ValueError('no data')


def done_with_result(result):
    op('status').text = 'done'


def done_two(result, task):
    op('status').text = 'done'


def done():
    op('status').text = 'done'


def failed_no_arg():
    op('status').text = 'failed'


def failed(err):
    op('status').text = 'failed'


def flexible(*args):
    op('status').text = 'any'


tm.EnqueueTask(tm.TDTask(target=work, SuccessHook=done_with_result))  # limit: the runtime calls SuccessHook with no arguments, one of the conventions seen; TD105 reports only a hook that no convention fits
tm.EnqueueTask(tm.TDTask(target=work, SuccessHook=done_two))
tm.EnqueueTask(tm.TDTask(target=broken, ExceptHook=failed_no_arg))
tm.EnqueueTask(tm.TDTask(target=work, SuccessHook=done))
tm.EnqueueTask(tm.TDTask(target=broken, ExceptHook=failed))
tm.EnqueueTask(tm.TDTask(target=work, SuccessHook=flexible, ExceptHook=flexible))
