"""Execute DAT: a worker reads TD directly and through a helper."""
import time

tm = op.TDResources.ThreadManager


def read_level():
    return op('level').par.Value.eval()


def fetch():
    time.sleep(0.05)
    return read_level()


def fetch_direct():
    return op('level').par.Gain.eval()


def fetch_plain(gain):
    time.sleep(0.05)
    return gain * 2


def done():
    op('status').text = 'done'


def failed(err):
    op('status').text = 'failed'


tm.EnqueueTask(tm.TDTask(target=fetch, SuccessHook=done, ExceptHook=failed))
tm.EnqueueTask(tm.TDTask(target=fetch_direct, ExceptHook=failed))
gain = op('level').par.Gain.eval()
tm.EnqueueTask(tm.TDTask(target=fetch_plain, args=(gain,), SuccessHook=done))
