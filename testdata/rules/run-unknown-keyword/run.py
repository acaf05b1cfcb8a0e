def fade():
    pass


run(fade, delayMilliseconds=500)  # want "run\(\) has no keyword `delayMilliseconds`; did you mean `delayMilliSeconds`\?"
run(fade, delayframes=2)  # want "did you mean `delayFrames`"
run(fade, delayFrames=2, endFrame=True, fromOP=me, group='g', delayRef=op('x'))
run(fade, bogusOption=1)  # want "run\(\) has no keyword `bogusOption`"
