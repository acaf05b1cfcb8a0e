# Loops that never return and asyncio run on TD's main thread.
import asyncio

import paho.mqtt.client as mqtt


async def fetch():
    await asyncio.sleep(1)


def onStart():
    asyncio.run(fetch())  # want "`asyncio.run` blocks"
    loop = asyncio.new_event_loop()
    loop.run_until_complete(fetch())  # want "`asyncio.new_event_loop.run_until_complete` blocks"
    client = mqtt.Client()
    client.loop_forever()  # want "`paho.mqtt.client.Client.loop_forever` blocks"
    client.loop_start()


def onPulse(par):
    op('TDAsyncIO').RunAsync([fetch()])  # TDAsyncIO steps its loop once per frame
    op('TDAsyncIO').RunSync([fetch()])  # want "`td.op\(TDAsyncIO\).RunSync` blocks"
