# A Script TOP's loader: the flag is set inside the thread it guards.
import threading

session = None
load_error = None
is_loading = False


def _load():
    global session, load_error, is_loading
    is_loading = True  # want "`is_loading` guards the start of this worker but is set by the worker itself"
    load_error = None
    try:
        session = object()  # the result it publishes: one rebinding
    except Exception as e:
        load_error = str(e)
    finally:
        is_loading = False


def onCook(scriptOp):
    if session is None:
        if not is_loading:
            threading.Thread(target=_load).start()
        return
    if load_error:
        scriptOp.par.Status = load_error
