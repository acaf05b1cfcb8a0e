"""Execute DAT: a loader task reports progress with print() from its worker."""

tm = op.TDResources.ThreadManager


def report(msg):
    print(msg)


def load(path):
    print("loading " + path)
    report("half way")
    return len(path)


def done(result=None):
    print("loaded")


tm.EnqueueTask(tm.TDTask(target=load, args=("model.onnx",), SuccessHook=done))
print("queued")
