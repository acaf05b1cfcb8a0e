package runtime

import (
	"time"

	"github.com/go-python/gpython/py"
)

// The stand-ins for the standard library a scenario may use: threading,
// queue, time and a simulated requests. They run on the virtual clock and
// block through the scheduler.

// threadObject is the Python face of a thread: a TDThread for pool and
// standalone threads (with its InfoQueue), a threading.Thread otherwise.
func (s *sim) threadObject(th *Thread) *tdObject {
	if o, ok := s.pythons[th]; ok {
		return o
	}
	o := &tdObject{typ: threadType, desc: "Thread " + th.Name, sim: s, data: th}
	o.get = func(name string) (py.Object, error) {
		switch name {
		case "name":
			return py.String(th.Name), nil
		case "ident":
			return py.Int(th.ID + 1), nil
		case "daemon":
			return py.True, nil
		case "InfoQueue":
			if th.InfoQueue == nil {
				return py.None, nil
			}
			return s.queueObject(th.InfoQueue), nil
		case "InPool":
			return py.NewBool(th.Kind == PoolWorker), nil
		case "is_alive":
			return s.method("is_alive", func(py.Tuple, py.StringDict) (py.Object, error) { return py.NewBool(th.Alive()), nil }), nil
		case "join":
			return s.method("join", func(args py.Tuple, kwargs py.StringDict) (py.Object, error) {
				a, err := bind("join", args, kwargs, 0, "timeout")
				if err != nil {
					return nil, err
				}
				timeout, err := toFloat(a[0], -1)
				if err != nil {
					return nil, err
				}
				s.cur().Join(th, timeout)
				return py.None, nil
			}), nil
		}
		return nil, errNoAttr
	}
	s.pythons[th] = o
	return o
}

func (s *sim) threadingModule() py.StringDict {
	g := py.NewStringDict()
	g["Thread"] = s.fn("Thread", s.newThread)
	g["Lock"] = s.fn("Lock", func(py.Tuple, py.StringDict) (py.Object, error) { return s.lockObject(NewLock(false)), nil })
	g["RLock"] = s.fn("RLock", func(py.Tuple, py.StringDict) (py.Object, error) { return s.lockObject(NewLock(true)), nil })
	g["Event"] = s.fn("Event", func(py.Tuple, py.StringDict) (py.Object, error) { return s.eventObject(&Flag{}), nil })
	g["current_thread"] = s.fn("current_thread", func(py.Tuple, py.StringDict) (py.Object, error) {
		return s.threadObject(s.cur()), nil
	})
	g["main_thread"] = s.fn("main_thread", func(py.Tuple, py.StringDict) (py.Object, error) {
		return s.threadObject(s.rt.main), nil
	})
	g["get_ident"] = s.fn("get_ident", func(py.Tuple, py.StringDict) (py.Object, error) {
		return py.Int(s.cur().ID + 1), nil
	})
	return g
}

// newThread is threading.Thread(target=..., args=..., kwargs=..., name=...).
func (s *sim) newThread(args py.Tuple, kwargs py.StringDict) (py.Object, error) {
	a, err := bind("Thread", args, kwargs, 0, "group", "target", "name", "args", "kwargs", "*", "daemon")
	if err != nil {
		return nil, err
	}
	targs, err := toTuple(a[3])
	if err != nil {
		return nil, err
	}
	tkw, err := toKwargs(a[4])
	if err != nil {
		return nil, err
	}
	name := ""
	if n, ok := a[2].(py.String); ok {
		name = string(n)
	}
	target := a[1]
	targs, tkw = s.handoff(targs, tkw)
	target = captured(target)
	var th *Thread
	o := &tdObject{typ: threadType, desc: "Thread", sim: s}
	o.get = func(attr string) (py.Object, error) {
		switch attr {
		case "start":
			return s.method("start", func(py.Tuple, py.StringDict) (py.Object, error) {
				if th != nil {
					return nil, py.ExceptionNewf(py.RuntimeError, "threads can only be started once")
				}
				th = s.cur().Go(name, func(t *Thread) error {
					if isNone(target) {
						return nil
					}
					_, err := py.Call(target, targs, tkw)
					return s.report(t, err)
				})
				return py.None, nil
			}), nil
		case "name":
			return py.String(name), nil
		case "daemon":
			return py.True, nil
		}
		if th == nil {
			switch attr {
			case "is_alive":
				return s.method("is_alive", func(py.Tuple, py.StringDict) (py.Object, error) { return py.False, nil }), nil
			case "join":
				return nil, py.ExceptionNewf(py.RuntimeError, "cannot join thread before it is started")
			}
			return nil, errNoAttr
		}
		return s.threadObject(th).get(attr)
	}
	o.set = func(attr string, _ py.Object) error {
		if attr == "daemon" || attr == "name" {
			return nil
		}
		return py.ExceptionNewf(py.AttributeError, "cannot set '%s' of a Thread", attr)
	}
	return o, nil
}

func (s *sim) lockObject(l *Lock) *tdObject {
	o := &tdObject{typ: lockType, desc: "lock", sim: s, data: l}
	acquire := s.method("acquire", func(args py.Tuple, kwargs py.StringDict) (py.Object, error) {
		a, err := bind("acquire", args, kwargs, 0, "blocking", "timeout")
		if err != nil {
			return nil, err
		}
		block, err := toBool(a[0], true)
		if err != nil {
			return nil, err
		}
		timeout, err := toFloat(a[1], -1)
		if err != nil {
			return nil, err
		}
		return py.NewBool(l.Acquire(s.cur(), block, timeout)), nil
	})
	release := s.method("release", func(py.Tuple, py.StringDict) (py.Object, error) {
		if !l.Release(s.cur()) {
			return nil, py.ExceptionNewf(py.RuntimeError, "release unlocked lock")
		}
		return py.None, nil
	})
	o.get = func(name string) (py.Object, error) {
		switch name {
		case "acquire", "__enter__":
			return acquire, nil
		case "release":
			return release, nil
		case "__exit__":
			return s.method("__exit__", func(py.Tuple, py.StringDict) (py.Object, error) {
				l.Release(s.cur())
				return py.False, nil
			}), nil
		case "locked":
			return s.method("locked", func(py.Tuple, py.StringDict) (py.Object, error) { return py.NewBool(l.Locked()), nil }), nil
		}
		return nil, errNoAttr
	}
	return o
}

func (s *sim) eventObject(f *Flag) *tdObject {
	o := &tdObject{typ: eventType, desc: "Event", sim: s, data: f}
	o.get = func(name string) (py.Object, error) {
		switch name {
		case "set":
			return s.method("set", func(py.Tuple, py.StringDict) (py.Object, error) { f.Set(); s.cur().Point(); return py.None, nil }), nil
		case "clear":
			return s.method("clear", func(py.Tuple, py.StringDict) (py.Object, error) { f.Clear(); return py.None, nil }), nil
		case "is_set", "isSet":
			return s.method(name, func(py.Tuple, py.StringDict) (py.Object, error) { return py.NewBool(f.IsSet()), nil }), nil
		case "wait":
			return s.method("wait", func(args py.Tuple, kwargs py.StringDict) (py.Object, error) {
				a, err := bind("wait", args, kwargs, 0, "timeout")
				if err != nil {
					return nil, err
				}
				timeout, err := toFloat(a[0], -1)
				if err != nil {
					return nil, err
				}
				return py.NewBool(f.Wait(s.cur(), timeout)), nil
			}), nil
		}
		return nil, errNoAttr
	}
	return o
}

func (s *sim) queueModule() py.StringDict {
	g := py.NewStringDict()
	g["Queue"] = s.fn("Queue", func(args py.Tuple, kwargs py.StringDict) (py.Object, error) {
		a, err := bind("Queue", args, kwargs, 0, "maxsize")
		if err != nil {
			return nil, err
		}
		n := 0
		if !isNone(a[0]) {
			if n, err = py.MakeGoInt(a[0]); err != nil {
				return nil, err
			}
		}
		return s.queueObject(NewQueue(n)), nil
	})
	g["Empty"] = queueEmpty
	g["Full"] = queueFull
	return g
}

func (s *sim) queueObject(q *Queue) *tdObject {
	o := &tdObject{typ: queueType, desc: "Queue", sim: s, data: q}
	get := func(block bool, timeout float64) (py.Object, error) {
		v, ok := q.Get(s.cur(), block, timeout)
		if !ok {
			return nil, py.ExceptionNewf(queueEmpty, "")
		}
		obj, _ := v.(py.Object)
		return obj, nil
	}
	put := func(v py.Object, block bool, timeout float64) (py.Object, error) {
		if !q.Put(s.cur(), v, block, timeout) {
			return nil, py.ExceptionNewf(queueFull, "")
		}
		return py.None, nil
	}
	o.get = func(name string) (py.Object, error) {
		switch name {
		case "get":
			return s.method("get", func(args py.Tuple, kwargs py.StringDict) (py.Object, error) {
				a, err := bind("get", args, kwargs, 0, "block", "timeout")
				if err != nil {
					return nil, err
				}
				block, err := toBool(a[0], true)
				if err != nil {
					return nil, err
				}
				timeout, err := toFloat(a[1], -1)
				if err != nil {
					return nil, err
				}
				return get(block, timeout)
			}), nil
		case "get_nowait":
			return s.method("get_nowait", func(py.Tuple, py.StringDict) (py.Object, error) { return get(false, -1) }), nil
		case "put":
			return s.method("put", func(args py.Tuple, kwargs py.StringDict) (py.Object, error) {
				a, err := bind("put", args, kwargs, 1, "item", "block", "timeout")
				if err != nil {
					return nil, err
				}
				block, err := toBool(a[1], true)
				if err != nil {
					return nil, err
				}
				timeout, err := toFloat(a[2], -1)
				if err != nil {
					return nil, err
				}
				return put(a[0], block, timeout)
			}), nil
		case "put_nowait":
			return s.method("put_nowait", func(args py.Tuple, kwargs py.StringDict) (py.Object, error) {
				a, err := bind("put_nowait", args, kwargs, 1, "item")
				if err != nil {
					return nil, err
				}
				return put(a[0], false, -1)
			}), nil
		case "empty":
			return s.method("empty", func(py.Tuple, py.StringDict) (py.Object, error) { return py.NewBool(q.Len() == 0), nil }), nil
		case "full":
			return s.method("full", func(py.Tuple, py.StringDict) (py.Object, error) { return py.NewBool(q.full()), nil }), nil
		case "qsize":
			return s.method("qsize", func(py.Tuple, py.StringDict) (py.Object, error) { return py.Int(q.Len()), nil }), nil
		}
		return nil, errNoAttr
	}
	return o
}

// epoch makes time.time() look like a real timestamp.
const epoch = 1_764_000_000

func (s *sim) timeModule() py.StringDict {
	g := py.NewStringDict()
	g["sleep"] = s.fn("sleep", func(args py.Tuple, kwargs py.StringDict) (py.Object, error) {
		a, err := bind("sleep", args, kwargs, 1, "secs")
		if err != nil {
			return nil, err
		}
		secs, err := toFloat(a[0], 0)
		if err != nil {
			return nil, err
		}
		s.cur().Sleep(time.Duration(secs * float64(time.Second)))
		return py.None, nil
	})
	now := func(offset float64) *goFunc {
		return s.fn("time", func(py.Tuple, py.StringDict) (py.Object, error) {
			s.cur().Point()
			return py.Float(offset + s.rt.now.Seconds()), nil
		})
	}
	g["time"] = now(epoch)
	g["monotonic"] = now(0)
	g["perf_counter"] = now(0)
	return g
}

// requestsModule simulates HTTP: every call takes Config.Latency.
func (s *sim) requestsModule() py.StringDict {
	g := py.NewStringDict()
	for _, verb := range []string{"get", "post", "put", "delete"} {
		g[verb] = s.fn(verb, func(args py.Tuple, _ py.StringDict) (py.Object, error) {
			url := ""
			if len(args) > 0 {
				if u, ok := args[0].(py.String); ok {
					url = string(u)
				}
			}
			s.cur().Busy("requests."+verb+"("+url+")", s.rt.cfg.Latency)
			return s.response(), nil
		})
	}
	return g
}

// response is a simulated HTTP reply (requests' Response and urllib's).
func (s *sim) response() *tdObject {
	resp := &tdObject{typ: responseType, desc: "Response", sim: s}
	resp.get = func(name string) (py.Object, error) {
		switch name {
		case "status_code", "status":
			return py.Int(200), nil
		case "text":
			return py.String("{}"), nil
		case "ok":
			return py.True, nil
		case "json":
			return s.method("json", func(py.Tuple, py.StringDict) (py.Object, error) { return py.NewStringDict(), nil }), nil
		case "read":
			return s.method("read", func(py.Tuple, py.StringDict) (py.Object, error) { return py.Bytes("{}"), nil }), nil
		case "__enter__":
			return s.method("__enter__", func(py.Tuple, py.StringDict) (py.Object, error) { return resp, nil }), nil
		case "__exit__", "close":
			return s.method(name, func(py.Tuple, py.StringDict) (py.Object, error) { return py.False, nil }), nil
		}
		return nil, errNoAttr
	}
	return resp
}

// urllibModule is urllib.request: urlopen takes Config.Latency.
func (s *sim) urllibModule() py.StringDict {
	g := py.NewStringDict()
	g["urlopen"] = s.fn("urlopen", func(args py.Tuple, _ py.StringDict) (py.Object, error) {
		url := ""
		if len(args) > 0 {
			if u, ok := args[0].(py.String); ok {
				url = string(u)
			}
		}
		s.cur().Busy("urllib.request.urlopen("+url+")", s.rt.cfg.Latency)
		return s.response(), nil
	})
	return g
}

// jsonModule is a small json: dumps gives Python's repr, loads and load an
// empty dict (scenarios only move data around).
func (s *sim) jsonModule() py.StringDict {
	g := py.NewStringDict()
	g["dumps"] = s.fn("dumps", func(args py.Tuple, _ py.StringDict) (py.Object, error) {
		if len(args) == 0 {
			return nil, py.ExceptionNewf(py.TypeError, "dumps() missing required argument 'obj'")
		}
		return py.Repr(args[0])
	})
	empty := func(py.Tuple, py.StringDict) (py.Object, error) { return py.NewStringDict(), nil }
	g["loads"] = s.fn("loads", empty)
	g["load"] = s.fn("load", empty)
	return g
}

// socketModule simulates sockets that never receive anything: recv calls
// block for good (a listener loop).
func (s *sim) socketModule() py.StringDict {
	g := py.NewStringDict()
	g["AF_INET"], g["SOCK_DGRAM"], g["SOCK_STREAM"] = py.Int(2), py.Int(2), py.Int(1)
	g["socket"] = s.fn("socket", func(py.Tuple, py.StringDict) (py.Object, error) {
		sock := &tdObject{typ: responseType, desc: "socket", sim: s}
		never := func(what string) py.Object {
			return s.method(what, func(py.Tuple, py.StringDict) (py.Object, error) {
				s.cur().wait("socket."+what, CauseBlocking, func() bool { return false }, forever)
				return py.None, nil
			})
		}
		sock.get = func(name string) (py.Object, error) {
			switch name {
			case "recv", "recvfrom", "accept":
				return never(name), nil
			case "bind", "connect", "close", "settimeout", "setsockopt", "listen", "sendto", "send", "sendall":
				return s.method(name, func(py.Tuple, py.StringDict) (py.Object, error) { s.cur().Point(); return py.None, nil }), nil
			}
			return nil, errNoAttr
		}
		return sock, nil
	})
	return g
}
