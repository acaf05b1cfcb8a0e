"""Execute DAT: run() misused three ways, then used right."""


def reset():
    op('status').text = ''


def bad_result():
    run(reset(), delayFrames=2)


def bad_keyword():
    run(reset, delayMilliseconds=500)


def bad_script():
    run("op('status').text = (", delayFrames=1)


def good():
    run(reset, delayMilliSeconds=500)
    run("op('status').text = 'ok'", delayFrames=1)
    run(reset, endFrame=True)


def onFrameStart(frame):
    if frame == 1:
        bad_result()
    if frame == 2:
        bad_keyword()
    if frame == 3:
        bad_script()
    if frame == 4:
        good()
