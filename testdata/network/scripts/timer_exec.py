import time


def settle():
    time.sleep(0.5)


STEPS = {'settle': settle}
