// Command gentd writes a synthetic TouchDesigner project for benchmarks: N
// components, each with an extension that runs ThreadManager tasks, a
// callbacks DAT, a helper module the workers call across modules, and a
// correct queue-draining pattern - so that every part of the analysis
// (call graph, thread contexts, cross-module resolution) has work.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
)

func main() {
	n := flag.Int("comps", 500, "number of components")
	out := flag.String("out", "", "output directory (created)")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "usage: gentd -comps N -out DIR")
		os.Exit(2)
	}
	for i := range *n {
		dir := filepath.Join(*out, fmt.Sprintf("comp%04d", i))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			fail(err)
		}
		write(filepath.Join(dir, fmt.Sprintf("ext%04d.py", i)), extension(i))
		write(filepath.Join(dir, fmt.Sprintf("callbacks%04d.py", i)), callbacks(i))
		write(filepath.Join(dir, fmt.Sprintf("helpers%04d.py", i)), helpers(i))
	}
}

func write(path, text string) {
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil { //nolint:gosec // benchmark fixtures are meant to be readable
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "gentd:", err)
	os.Exit(1)
}

func extension(i int) string {
	return fmt.Sprintf(`"""Extension of /project1/comp%04[1]d."""
import queue

import helpers%04[1]d


class Comp%04[1]dExt:
    def __init__(self, ownerComp):
        self.ownerComp = ownerComp
        self.results = queue.Queue()
        self.task = None

    def Start(self):
        url = self.ownerComp.par.Url.eval()
        tm = op.TDResources.ThreadManager
        self.task = tm.TDTask(target=self.work, args=(url, self.results),
                              SuccessHook=self.onDone, RefreshHook=self.onRefresh)
        tm.EnqueueTask(self.task)

    def work(self, url, results):
        data = helpers%04[1]d.download(url)
        results.put(helpers%04[1]d.summarize(data))
        if self.ownerComp.par.Verbose:
            print(data)
        return len(data)

    def onRefresh(self):
        while not self.results.empty():
            self.ownerComp.op('status').text = self.results.get_nowait()

    def onDone(self):
        self.ownerComp.op('status').text = 'done'

    def Listen(self):
        tm = op.TDResources.ThreadManager
        tm.EnqueueTask(tm.TDTask(target=helpers%04[1]d.listen, args=(9000 + %[1]d,)))
`, i)
}

func callbacks(i int) string {
	return fmt.Sprintf(`"""Callbacks DAT of /project1/comp%04[1]d."""
import time

import helpers%04[1]d


def onValueChange(par, prev):
    if par.name == 'Go':
        parent().ext.Comp%04[1]dExt.Start()
    time.sleep(0.001)


def onFrameStart(frame):
    values = [helpers%04[1]d.scale(v, 2.0) for v in range(10)]
    op('out').text = str(sum(values))
    run(reset(), delayFrames=5)


def reset():
    op('out').text = ''
`, i)
}

func helpers(i int) string {
	return fmt.Sprintf(`"""Module DAT /project1/comp%04[1]d/helpers%04[1]d."""
import json
import socket
import urllib.request


def download(url):
    with urllib.request.urlopen(url, timeout=5) as reply:
        return json.load(reply)


def summarize(data):
    keys = sorted(data) if isinstance(data, dict) else []
    return ', '.join(str(k) for k in keys[:10])


def scale(value, factor):
    return value * factor


def listen(port):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(('127.0.0.1', port))
    while True:
        data, _ = sock.recvfrom(4096)
        op('log').text = data.decode()
`, i)
}
