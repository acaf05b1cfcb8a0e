# TDTask targets, aliases of the ThreadManager and what the target calls.
import threading
import functools

tm = op.TDResources.ThreadManager
TDTask = tm.TDTask


def fetch(url):
    status = op('status')  # want "`op` touches TouchDesigner from a worker thread"
    helper(url)
    return url


def helper(url):
    me.par.Url = url  # want "`me` touches TouchDesigner"
    print(url)  # TD106 reports output from a worker


def on_success():
    op('out').text = 'done'  # hooks run on the main thread: fine


def start():
    url = op('settings').par.Url.eval()  # main thread: fine
    tm.EnqueueTask(TDTask(target=fetch, args=(url,), SuccessHook=on_success))


def shadowed(op):
    return op('x')  # a parameter named op is not TD's op


def uses_local_op():
    op = lambda name: name
    return op('x')


threading.Thread(target=shadowed, args=(len,)).start()
threading.Thread(target=uses_local_op).start()


def partial_target(a, b):
    return parent()  # want "`parent` touches TouchDesigner"


threading.Thread(target=functools.partial(partial_target, 1, 2)).start()


def comprehension_names(ops_by_name):
    # Comprehension variables named like TD globals are not TD.
    return {op: i for i, op in enumerate(ops_by_name)}, [me for me in ops_by_name]


threading.Thread(target=comprehension_names, args=([],)).start()


def pattern_names(value):
    match value:
        case [var, *ops]:
            return var, ops
        case {"k": me, **root}:
            return me, root


threading.Thread(target=pattern_names, args=(1,)).start()
