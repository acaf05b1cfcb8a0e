package analyzer

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
)

// UnifiedDiff writes the changes from before to after as a unified diff (three
// lines of context), as `diff -u` and `ruff check --diff` print them.
func UnifiedDiff(w io.Writer, name string, before, after []byte) error {
	a, b := splitLines(before), splitLines(after)
	ops := diffLines(a, b)
	if len(ops) == 0 {
		return nil
	}
	var out bytes.Buffer
	fmt.Fprintf(&out, "--- a/%s\n+++ b/%s\n", name, name)
	const context = 3
	for i := 0; i < len(ops); {
		// A hunk runs from the first change to the last one that is within
		// 2*context equal lines of the next.
		j := i
		for j+1 < len(ops) && ops[j+1].aStart-ops[j].aEnd <= 2*context {
			j++
		}
		aFrom := max(ops[i].aStart-context, 0)
		aTo := min(ops[j].aEnd+context, len(a))
		bFrom := ops[i].bStart - (ops[i].aStart - aFrom)
		bTo := ops[j].bEnd + (aTo - ops[j].aEnd)
		fmt.Fprintf(&out, "@@ -%s +%s @@\n", hunkRange(aFrom, aTo-aFrom), hunkRange(bFrom, bTo-bFrom))
		at := aFrom
		for k := i; k <= j; k++ {
			op := ops[k]
			writeLines(&out, ' ', a[at:op.aStart])
			writeLines(&out, '-', a[op.aStart:op.aEnd])
			writeLines(&out, '+', b[op.bStart:op.bEnd])
			at = op.aEnd
		}
		writeLines(&out, ' ', a[at:aTo])
		i = j + 1
	}
	_, err := w.Write(out.Bytes())
	return err
}

func hunkRange(start, n int) string {
	if n == 1 {
		return strconv.Itoa(start + 1)
	}
	if n == 0 {
		return fmt.Sprintf("%d,0", start)
	}
	return fmt.Sprintf("%d,%d", start+1, n)
}

func writeLines(out *bytes.Buffer, mark byte, lines [][]byte) {
	for _, l := range lines {
		out.WriteByte(mark)
		out.Write(l)
		if !bytes.HasSuffix(l, []byte("\n")) {
			out.WriteString("\n\\ No newline at end of file\n")
		}
	}
}

func splitLines(b []byte) [][]byte {
	var lines [][]byte
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			lines = append(lines, b)
			break
		}
		lines = append(lines, b[:i+1])
		b = b[i+1:]
	}
	return lines
}

// diffOp replaces a[aStart:aEnd] with b[bStart:bEnd].
type diffOp struct {
	aStart, aEnd, bStart, bEnd int
}

// diffLines is Myers' O(ND) difference of two line lists, as the changed
// runs between matching lines.
func diffLines(a, b [][]byte) []diffOp {
	n, m := len(a), len(b)
	maxD := n + m
	offset := maxD
	v := make([]int, 2*maxD+2)
	var trace [][]int
	found := false
	for d := 0; d <= maxD && !found; d++ {
		trace = append(trace, append([]int(nil), v...))
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || k != d && v[offset+k-1] < v[offset+k+1] {
				x = v[offset+k+1]
			} else {
				x = v[offset+k-1] + 1
			}
			y := x - k
			for x < n && y < m && bytes.Equal(a[x], b[y]) {
				x++
				y++
			}
			v[offset+k] = x
			if x >= n && y >= m {
				found = true
				break
			}
		}
	}
	// Walk the trace back from (n, m), collecting the matched lines.
	type pair struct{ x, y int }
	var matches []pair
	x, y := n, m
	for d := len(trace) - 1; d > 0; d-- {
		vd := trace[d]
		k := x - y
		var prevK int
		if k == -d || k != d && vd[offset+k-1] < vd[offset+k+1] {
			prevK = k + 1
		} else {
			prevK = k - 1
		}
		prevX := vd[offset+prevK]
		prevY := prevX - prevK
		for x > prevX && y > prevY {
			x--
			y--
			matches = append(matches, pair{x, y})
		}
		x, y = prevX, prevY
	}
	for x > 0 && y > 0 {
		x--
		y--
		matches = append(matches, pair{x, y})
	}
	var ops []diffOp
	ax, by := 0, 0
	for i := len(matches) - 1; i >= -1; i-- {
		mx, my := n, m
		if i >= 0 {
			mx, my = matches[i].x, matches[i].y
		}
		if mx > ax || my > by {
			ops = append(ops, diffOp{ax, mx, by, my})
		}
		ax, by = mx+1, my+1
	}
	return ops
}
