# A file that runs in TD and also outside it for tests: the stand-ins it
# defines under `if not IN_TD:` do not hide TD's op and run in TD.
import threading

try:
    import td
    IN_TD = True
except ImportError:
    IN_TD = False

if not IN_TD:
    def op(path):
        return None

    def run(script, delayFrames=0):
        print(script)


def serve():
    run("op('status').par.text = 'up'", delayFrames=1)  # want "run\(\) is TouchDesigner's main-thread scheduler"
    status = op('status')  # TD101's


threading.Thread(target=serve).start()
