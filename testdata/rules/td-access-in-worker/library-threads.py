# Libraries that call project code on their own threads.
import threading

import paho.mqtt.client as mqtt
import serial.threaded
from pythonosc import dispatcher, osc_server


def on_message(client, userdata, msg):
    op('mqtt_out').text = msg.payload  # want "`op` touches TouchDesigner from a worker thread \(paho.mqtt.client.Client.on_message callback\)"


def on_osc(address, *values):
    op('osc_table').appendRow(values)  # want "`op` touches TouchDesigner from a worker thread \(python-osc dispatcher handler\)"


class SensorProtocol(serial.threaded.LineReader):
    def handle_line(self, line):
        me.par.Value0 = float(line)  # want "`me` touches TouchDesigner from a worker thread"


def onStart():
    client = mqtt.Client()
    client.on_message = on_message
    client.connect('127.0.0.1')
    client.loop_start()
    disp = dispatcher.Dispatcher()
    disp.map('/sensor', on_osc)
    server = osc_server.ThreadingOSCUDPServer(('127.0.0.1', 7000), disp)
    threading.Thread(target=server.serve_forever, daemon=True).start()
