import threading


def crawl(urls):
    tm = op.TDResources.ThreadManager  # want "the ThreadManager is a TouchDesigner COMP"
    for u in urls:
        tm.EnqueueTask(tm.TDTask(target=fetch, args=(u,)))


def crawl_with_threads(urls):
    threads = [threading.Thread(target=fetch, args=(u,)) for u in urls]
    for t in threads:
        t.start()


def fetch(u):
    return u


manager = op.TDResources.ThreadManager
manager.EnqueueTask(manager.TDTask(target=crawl, args=(['a'],)))
manager.EnqueueTask(manager.TDTask(target=crawl_with_threads, args=(['a'],)))
