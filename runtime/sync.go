package runtime

import "time"

// deadline converts a Python timeout in seconds (negative: none) to a
// virtual deadline.
func (r *Runtime) deadline(timeout float64) time.Duration {
	if timeout < 0 {
		return forever
	}
	return r.now + time.Duration(timeout*float64(time.Second))
}

// Queue is queue.Queue and a TDThread's InfoQueue: FIFO, optionally
// bounded, safe between threads.
type Queue struct {
	items   []any
	maxsize int
}

// NewQueue returns an empty queue; maxsize <= 0 is unbounded.
func NewQueue(maxsize int) *Queue { return &Queue{maxsize: maxsize} }

// Len is qsize().
func (q *Queue) Len() int { return len(q.items) }

func (q *Queue) full() bool { return q.maxsize > 0 && len(q.items) >= q.maxsize }

// Put adds v, waiting while the queue is full when block is set (timeout
// in seconds, negative: none); it reports false when the queue stayed full.
func (q *Queue) Put(t *Thread, v any, block bool, timeout float64) bool {
	if !t.waitFor("Queue.put", CauseBlocking, func() bool { return !q.full() }, block, timeout) {
		return false
	}
	q.items = append(q.items, v)
	return true
}

// Get removes the oldest item, waiting for one when block is set; ok is
// false when none came (queue.Empty).
func (q *Queue) Get(t *Thread, block bool, timeout float64) (v any, ok bool) {
	if !t.waitFor("Queue.get", CauseBlocking, func() bool { return len(q.items) > 0 }, block, timeout) {
		return nil, false
	}
	v = q.items[0]
	q.items[0] = nil
	q.items = q.items[1:]
	return v, true
}

// Lock is threading.Lock (and, with reentrant, RLock).
type Lock struct {
	owner     *Thread
	count     int
	reentrant bool
}

// NewLock returns an unlocked lock.
func NewLock(reentrant bool) *Lock { return &Lock{reentrant: reentrant} }

// Acquire takes the lock, waiting when block is set; it reports whether
// the lock was taken.
func (l *Lock) Acquire(t *Thread, block bool, timeout float64) bool {
	if l.reentrant && l.owner == t {
		l.count++
		return true
	}
	if !t.waitFor("Lock.acquire", CauseWorkerLock, func() bool { return l.owner == nil }, block, timeout) {
		return false
	}
	l.owner, l.count = t, 1
	return true
}

// Release frees the lock; it reports false when t could not release it.
func (l *Lock) Release(t *Thread) bool {
	if l.owner == nil || (l.reentrant && l.owner != t) {
		return false
	}
	l.count--
	if l.count == 0 {
		l.owner = nil
	}
	return true
}

// Locked reports whether someone holds the lock.
func (l *Lock) Locked() bool { return l.owner != nil }

// Flag is threading.Event.
type Flag struct{ set bool }

// Set sets the flag and wakes the waiters.
func (f *Flag) Set() { f.set = true }

// Clear resets it.
func (f *Flag) Clear() { f.set = false }

// IsSet reports the flag.
func (f *Flag) IsSet() bool { return f.set }

// Wait waits until the flag is set or timeout passes; it returns the flag.
func (f *Flag) Wait(t *Thread, timeout float64) bool {
	return t.waitFor("Event.wait", CauseBlocking, func() bool { return f.set }, true, timeout)
}

// waitFor makes cond hold for t: at once, or after waiting when block is
// set (timeout in seconds, negative: none). Another thread may have taken
// what cond saw between the wake-up and t's turn, so it checks again.
func (t *Thread) waitFor(what string, cause Cause, cond func() bool, block bool, timeout float64) bool {
	if cond() {
		t.Point()
		if cond() {
			return true
		}
	}
	if !block {
		return false
	}
	deadline := t.rt.deadline(timeout)
	for !cond() {
		if !t.wait(what, cause, cond, deadline) && !cond() {
			return false
		}
	}
	return true
}
