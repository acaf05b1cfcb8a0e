import time


def onFrameStart(frame):
    time.sleep(0.01)  # noqa: TD201
    time.sleep(0.02)  # noqa: TD101  # want "unused suppression: TD101"
    time.sleep(0.03)  # tdlint: ignore[blocking-call-on-main-thread]
    x = 1  # noqa: TD201, TD998  # want "unused suppression: TD201, TD998 \(unknown rule\)"
    time.sleep(0.04)  # noqa
    y = op('x')  # noqa
    z = 1  # noqa: E501, TD201  # want "unused suppression: TD201$"
