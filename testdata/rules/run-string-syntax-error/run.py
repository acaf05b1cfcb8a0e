run("op('fader').par.Value0 = ", delayFrames=30)  # want "the script passed to run\(\) does not parse: invalid syntax"
run("op('fader').par.Value0 = 1", delayFrames=30)
run("print('x'", delayFrames=1)  # want "does not parse: '\(' was never closed"
