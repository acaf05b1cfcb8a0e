import time


def onFrameStart(frame):
    time.sleep(0.01)  # noqa: TD201
    time.sleep(0.02)  # noqa: TD101  # want "unused suppression: TD101"
    time.sleep(0.03)  # tdlint: ignore[blocking-call-on-main-thread]
    x = 1  # noqa: TD201, TD999X  # want "unused suppression: TD201, TD999X \(unknown rule\)"
    time.sleep(0.04)  # noqa
    y = op('x')  # noqa  # want "unused blanket `noqa` directive"
