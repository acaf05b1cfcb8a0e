import functools


def reset():
    pass


def level(v):
    pass


run(reset(), delayFrames=10)  # want "`reset\(\)` runs now and run\(\) receives its result"
run(reset, delayFrames=10)
run(level, 0.5, delayFrames=10)
run(functools.partial(level, 0.5), delayFrames=1)
run("op('{}').cook(force=True)".format('x'), delayFrames=1)
