// Command parsebench times pyparse over the files named on stdin (one path
// per line), single core and excluding file reading, and prints one JSON
// line like the other runners in bench/tools.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"time"

	"github.com/tdlint/tdlint/pyparse"
)

type result struct {
	Tool     string  `json:"tool"`
	Files    int     `json:"files"`
	Bytes    int     `json:"bytes"`
	Seconds  float64 `json:"seconds"`
	Rejected int     `json:"rejected"`
}

func main() {
	runtime.GOMAXPROCS(1)
	var srcs [][]byte
	total := 0
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		if sc.Text() == "" {
			continue
		}
		b, err := os.ReadFile(sc.Text())
		if err != nil {
			fmt.Fprintln(os.Stderr, "parsebench:", err)
			os.Exit(2)
		}
		srcs = append(srcs, b)
		total += len(b)
	}
	// One warm-up pass so that both sides are measured warm; the best of
	// three timed passes is reported.
	best := time.Duration(1<<63 - 1)
	rejected := 0
	for pass := range 4 {
		rejected = 0
		start := time.Now()
		for _, src := range srcs {
			if f := pyparse.ParseFile("bench.py", src, pyparse.Config{Version: pyparse.Py311}); len(f.Errors) > 0 {
				rejected++
			}
		}
		if d := time.Since(start); pass > 0 && d < best {
			best = d
		}
	}
	out, err := json.Marshal(result{Tool: "tdlint pyparse (1 core)", Files: len(srcs), Bytes: total, Seconds: best.Seconds(), Rejected: rejected})
	if err != nil {
		fmt.Fprintln(os.Stderr, "parsebench:", err)
		os.Exit(2)
	}
	fmt.Fprintln(os.Stdout, string(out))
}
