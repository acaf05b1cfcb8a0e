import threading

tm = op.TDResources.ThreadManager


def render(table):
    return table


table = op('table1')
tm.EnqueueTask(tm.TDTask(target=render, args=(op('table1'),)))  # want "`op\('table1'\)` is a TouchDesigner object handed to a worker"
tm.EnqueueTask(tm.TDTask(target=render, args=(table,)))  # want "`table` is a TouchDesigner object"
tm.EnqueueTask(tm.TDTask(target=render, kwargs={'table': me}))  # want "`me` is a TouchDesigner object"
threading.Thread(target=render, args=(parent(),)).start()  # want "`parent\(\)` is a TouchDesigner object"
tm.EnqueueTask(tm.TDTask(target=render, args=(op('table1').text,)))  # plain text: fine
tm.EnqueueTask(tm.TDTask(target=render, args=(op('fader').par.Value0.eval(),)))  # plain value: fine


def outer():
    table = op('table1')
    rows = op('table1').numRows

    def work():
        return table.numRows  # want "`table` is a TouchDesigner object captured by a closure"

    def plain():
        return rows

    tm.EnqueueTask(tm.TDTask(target=work))
    tm.EnqueueTask(tm.TDTask(target=plain))


def infer(pixels):
    return pixels.mean()


def on_frame():
    pixels = op('in1').numpyArray()  # a numpy copy made here: plain data
    tm.EnqueueTask(tm.TDTask(target=infer, args=(pixels,)))
    tm.EnqueueTask(tm.TDTask(target=infer, args=(op('in1').numpyArray(delayed=True),)))
