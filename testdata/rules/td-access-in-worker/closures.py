# Closures, lambdas, methods and Thread subclasses.
import threading
from concurrent.futures import ThreadPoolExecutor


class Ext:
    def __init__(self, ownerComp):
        self.ownerComp = ownerComp
        self.table = op('table1')

    def Start(self):
        threading.Thread(target=self.work).start()

    def work(self):
        n = self.ownerComp.par.Count  # want "`self.ownerComp` touches TouchDesigner"
        rows = self.table.rows()  # want "`self.table` touches TouchDesigner"
        self.compute(n)

    def compute(self, n):
        return n * 2  # plain computation: fine


def outer():
    comp = op('comp1')

    def inner():
        return comp.par.x  # TD103: a captured TD object

    threading.Timer(1.0, inner).start()
    threading.Thread(target=lambda: root.findChildren()).start()  # want "`root` touches TouchDesigner"


class Poller(threading.Thread):
    def run(self):
        ui.status = 'polling'  # want "`ui` touches TouchDesigner"


with ThreadPoolExecutor() as pool:
    pool.submit(lambda: ipar.Settings.Rate)  # want "`ipar` touches TouchDesigner"


class Form:
    def submit(self, fn):
        return fn()


Form().submit(lambda: op('x'))  # not an executor: unknown, so no finding
