"""Execute DAT: a worker schedules main-thread work with run()."""
import time

tm = op.TDResources.ThreadManager


def show(text):
    op('status').text = text


def work():
    time.sleep(0.1)
    run(show, 'done', delayFrames=1)


def work_right(out):
    time.sleep(0.1)
    out.append('done')


results = []


def deliver():
    show(results[-1])


tm.EnqueueTask(tm.TDTask(target=work))
tm.EnqueueTask(tm.TDTask(target=work_right, args=(results,), SuccessHook=deliver))
