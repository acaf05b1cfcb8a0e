"""Execute DAT /project1/scenario: plays the user's actions on the example.

tdlint simulate testdata/example/scenario.py runs it on the reference
runtime: the weather extension refreshes, the user pulses and edits the
weather parameters, and the OSC listener starts.
"""
import callbacks
import good_loader
import listener
import weather_ext

# limit in weather/callbacks.py at "run(reset, delayMilliseconds=500)": never runs: run(reset(), ...) above it raises TypeError first, in TD as in the runtime
# limit in weather/weather_ext.py at "InfoQueue.get()": nothing is put on this InfoQueue in the example, so the get() its empty() guards never runs

op('weather').par.City = 'Montreal'
op('settings').par.Port = 9000
op('settings').par.Url = 'http://127.0.0.1:8000/forecast'

weather = weather_ext.WeatherExt(op('weather'))
weather.Refresh()
good_loader.onStart()
listener.start_standalone()
listener.start()


def onFrameStart(frame):
    good_loader.onFrameStart(frame)
    if frame == 5:
        callbacks.onFrameStart(frame)
    if frame == 10:
        callbacks.onValueChange(op('weather').par.City, 'Paris')
    if frame == 30:
        callbacks.onPulse(op('weather').par.Reset)
