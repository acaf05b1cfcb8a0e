import threading
import net
from net import parse


class FetchExt:
    def __init__(self, ownerComp):
        self.ownerComp = ownerComp

    def Fetch(self):
        tm = op.TDResources.ThreadManager
        tm.EnqueueTask(tm.TDTask(target=self.work, args=(self.ownerComp.par.Url.eval(),)))

    def work(self, url):
        return parse(net.download(url))


def via_mod(url):
    return mod.net.download(url)  # want "`mod` touches TouchDesigner"


threading.Thread(target=via_mod, args=('u',)).start()
