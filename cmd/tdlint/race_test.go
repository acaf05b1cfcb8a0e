//go:build race

package main

// raceEnabled lets the tests that only drive external programs (pre-commit
// building tdlint) skip the race run: they test no concurrency of ours.
const raceEnabled = true
