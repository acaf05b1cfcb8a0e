"""Execute DAT: TD objects handed to workers, and captured by a closure."""
import threading

tm = op.TDResources.ThreadManager


def scale(node):
    return node.par.Scale.eval() * 2


def scale_value(value):
    return value * 2


def start_closure():
    target = op('geo1')

    def work():
        return target.par.Tx.eval()

    threading.Thread(target=work).start()


tm.EnqueueTask(tm.TDTask(target=scale, args=(op('geo1'),)))
tm.EnqueueTask(tm.TDTask(target=scale_value, args=(op('geo1').par.Scale.eval(),)))
start_closure()
