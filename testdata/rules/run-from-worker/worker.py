tm = op.TDResources.ThreadManager


def show(data):
    pass


def work():
    data = 1
    run(show, data, delayFrames=1)  # want "run\(\) is TouchDesigner's main-thread scheduler"


def on_done():
    run(show, 1, delayFrames=1)


tm.EnqueueTask(tm.TDTask(target=work, SuccessHook=on_done))
