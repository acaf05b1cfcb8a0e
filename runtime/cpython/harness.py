"""The CPython side of tdlint's CPython engine (runtime/cpython.go).

The Go kernel owns time, frames, the ThreadManager pool, queues, locks and
the run() queue; this process owns the Python. Every simulated thread is a
real Python thread here, but only one of them runs at a time: a thread
that calls into TD or the runtime sends a request to Go and waits for the
reply, and Go replies only when that thread has the turn. So the kernel's
scheduling decides every interleaving, as it does for gpython.

The protocol is one JSON object per line: requests and results go out on
the write descriptor, calls and replies come in on the read one, each
tagged with the simulated thread's id ("tid").

Only the project's own code (the scenario and the modules it imports from
the project) sees the stand-ins: its imports of threading, queue, time,
socket, requests, urllib.request and subprocess get them, and TD's names
(op, me, parent, run, debug...) are its globals. The standard library
keeps the real modules.

Written for this project; not derived from any other code.
"""

import _queue
import _thread
import builtins
import dis
import importlib.machinery
import importlib.util
import itertools
import json
import os
import posixpath
import sys
import types

_oget = object.__getattribute__
_oset = object.__setattr__

_rfile = os.fdopen(int(sys.argv[1]), "rb", buffering=0)
_wfile = os.fdopen(int(sys.argv[2]), "wb", buffering=0)
_wlock = _thread.allocate_lock()
_boxes = {}  # tid -> _queue.SimpleQueue of messages for that thread
_tls = _thread._local()
_MAIN = 0
_user_files = set()
_registry = {}  # handle -> Python object Go refers to
_next_handle = [0]
_config = {}


def _send(msg):
    data = (json.dumps(msg, separators=(",", ":")) + "\n").encode()
    with _wlock:
        _wfile.write(data)


def _handle(obj):
    _next_handle[0] += 1
    h = _next_handle[0]
    _registry[h] = obj
    return h


# ---------------------------------------------------------------- positions


def _frame_site(f):
    code = f.f_code
    line = f.f_lineno or 0
    col = 0
    pos = next(itertools.islice(code.co_positions(), f.f_lasti // 2, None), None)
    if pos is not None:
        if pos[0] is not None:
            line = pos[0]
        if pos[2] is not None:
            col = pos[2] + 1
    return {"file": code.co_filename, "line": line, "col": col}


def _where():
    """Where the running thread is in the project's code (its innermost
    frame in a project file, with the column; None when it runs no project
    code) and the chain of the project's calls it is in, outermost first."""
    inner, chain = None, []
    f = sys._getframe(1)
    while f is not None:
        if f.f_code.co_filename in _user_files:
            if inner is None:
                inner = _frame_site(f)
            chain.append({"file": f.f_code.co_filename, "line": f.f_lineno or 0, "func": f.f_code.co_name})
        f = f.f_back
    chain.reverse()
    return inner, chain


def _site():
    """Where the running thread is in the project's code: its innermost
    frame in a project file (none when it runs no project code)."""
    f = sys._getframe(1)
    while f is not None:
        if f.f_code.co_filename in _user_files:
            return _frame_site(f)
        f = f.f_back
    return None


def _tb_site(tb):
    site = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename in _user_files:
            code = tb.tb_frame.f_code
            line, col = tb.tb_lineno, 0
            try:
                pos = list(code.co_positions())[tb.tb_lasti // 2]
                if pos[0] is not None:
                    line = pos[0]
                if pos[2] is not None:
                    col = pos[2] + 1
            except (IndexError, ValueError):
                pass
            site = {"file": code.co_filename, "line": line, "col": col}
        tb = tb.tb_next
    return site


def _func_info(o):
    """The name of a callable and where its first statement is (no site for
    callables that are not the project's Python functions)."""
    if isinstance(o, types.MethodType):
        o = o.__func__
    if not isinstance(o, types.FunctionType):
        if isinstance(o, _Method):
            return o.name, None
        if isinstance(o, type):
            return o.__name__, None
        return type(o).__name__, None
    code = o.__code__
    if code.co_filename not in _user_files:
        return o.__name__, None
    line = code.co_firstlineno
    prologue = True  # what comes up to RESUME sets the frame up
    for ins in dis.get_instructions(code):
        if prologue:
            prologue = ins.opname != "RESUME"
            continue
        if ins.positions is not None and ins.positions.lineno is not None:
            line = ins.positions.lineno
            break
    return o.__name__, {"file": code.co_filename, "line": line}


# ---------------------------------------------------------------- requests


class ThreadConflict(Exception):
    """A TouchDesigner object was used off the main thread."""


class tdError(Exception):
    """A TouchDesigner error."""


class _Context:
    """A stand-in usable in a with statement that holds nothing."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


class _Abandon(BaseException):
    """The simulation is over: unwind this thread."""


def _request(op, site=True, **kw):
    tid = _tls.tid
    msg = {"tid": tid, "op": op}
    if site:
        s, chain = _where()
        if s is not None:
            msg["site"], msg["stack"] = s, chain
    msg.update(kw)
    _send(msg)
    box = _boxes[tid]
    while True:
        m = box.get()
        kind = m["op"]
        if kind == "reply":
            _tls.solo = m.get("solo", False)
            return m
        if kind == "call":
            _execute(m)
        elif kind == "exit":
            raise _Abandon()


def _nowait(op, **kw):
    """A request whose answer is known (see CPython.alone in Go): sent
    without waiting while this thread is the only one that can run."""
    msg = {"tid": _tls.tid, "op": op, "nowait": True}
    s = _site()
    if s is not None:
        msg["site"] = s
    msg.update(kw)
    _send(msg)


def _batchable():
    return getattr(_tls, "solo", False) and _tls.tid == _MAIN


def _access(what, cause, origin):
    if _batchable():
        _nowait("access", what=what, cause=cause, origin=origin)
        return
    r = _request("access", what=what, cause=cause, origin=origin)
    if r.get("err"):
        raise ThreadConflict(r["err"]["msg"])


def _point():
    if getattr(_tls, "solo", False):
        _nowait("point")
        return
    _request("point")


def _is_main():
    return _tls.tid == _MAIN


# ---------------------------------------------------------------- TD objects

_NOATTR = object()


class _Method:
    """A method of a stand-in: calling it is not a TD access (getting it
    was)."""

    __slots__ = ("name", "fn")

    def __init__(self, name, fn):
        self.name, self.fn = name, fn

    def __call__(self, *args, **kwargs):
        return self.fn(*args, **kwargs)

    def __repr__(self):
        return "<built-in function " + self.name + ">"


class _TD:
    """Every stand-in object: TD's objects (OPs, pars, the ThreadManager...)
    and the threading, queue and network stand-ins. When td is set every
    attribute read, write and call is a TD access."""

    __slots__ = ("_desc", "_td", "_get", "_set", "_call", "_data", "_cause", "_origin")

    def __init__(self, desc, td=True, get=None, set=None, call=None, data=None, cause="", origin=None):
        _oset(self, "_desc", desc)
        _oset(self, "_td", td)
        _oset(self, "_get", get)
        _oset(self, "_set", set)
        _oset(self, "_call", call)
        _oset(self, "_data", data)
        _oset(self, "_cause", cause)
        _oset(self, "_origin", origin)

    def __getattribute__(self, name):
        return _getattr(self, name)

    def __setattr__(self, name, value):
        _setattr(self, name, value)

    def __call__(self, *args, **kwargs):
        return _calltd(self, args, kwargs)

    def __repr__(self):
        return "<" + _oget(self, "_desc") + ">"

    __str__ = __repr__

    def __enter__(self):
        return _getattr(self, "__enter__")()

    def __exit__(self, *exc):
        return _getattr(self, "__exit__")(*exc)


class _Value(_TD):
    """A TD member we do not model: it works as an empty, true, zero value
    (iterating, indexing, converting it), and every such use is a TD
    access."""

    __slots__ = ()

    def __iter__(self):
        _use(self, "")
        return iter(())

    def __len__(self):
        _use(self, "")
        return 0

    def __getitem__(self, key):
        _use(self, "[]")
        return _inherit(self, _value(_oget(self, "_desc") + "[" + repr(key) + "]"), "")

    def __setitem__(self, key, value):
        _use(self, "[] =")

    def __fspath__(self):
        # project.folder, app.userPaletteFolder...: the project's folder.
        _use(self, "")
        return _config.get("root") or "."

    def __bool__(self):
        return True

    # As a number it is 0 (each use a TD access): +, - and * give the other
    # operand, / // % give 0.0, comparisons are false.
    def _zero(self, *_):
        _use(self, "")
        return 0

    def _zero_float(self, *_):
        _use(self, "")
        return 0.0

    def _other(self, o):
        _use(self, "")
        return o if isinstance(o, (int, float)) else 0

    def _false(self, o):
        _use(self, "")
        return False

    __int__ = __index__ = __neg__ = __pos__ = __abs__ = _zero
    __float__ = __truediv__ = __floordiv__ = __mod__ = __rtruediv__ = __rfloordiv__ = __rmod__ = _zero_float
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _other
    __lt__ = __gt__ = __le__ = __ge__ = _false


class OP(_Value):
    __slots__ = ()


class td(_Value):
    __slots__ = ()


class TDTask(_TD):
    __slots__ = ()


class Run(_TD):
    __slots__ = ()


class Response(_TD):
    __slots__ = ()


class Par(_TD):
    """A parameter: it works as its value (par + 1, int(par), str(par)), and
    every such use is a TD access."""

    __slots__ = ()

    def _value(self):
        _use(self, "")
        return _oget(self, "_data")()

    def __str__(self):
        return str(Par._value(self))

    def __int__(self):
        return int(Par._value(self))

    def __float__(self):
        return float(Par._value(self))

    def __bool__(self):
        return bool(Par._value(self))

    def __index__(self):
        return int(Par._value(self))

    def __format__(self, spec):
        return format(Par._value(self), spec)

    def __add__(self, o):
        return Par._value(self) + o

    def __radd__(self, o):
        return o + Par._value(self)

    def __sub__(self, o):
        return Par._value(self) - o

    def __rsub__(self, o):
        return o - Par._value(self)

    def __mul__(self, o):
        return Par._value(self) * o

    def __rmul__(self, o):
        return o * Par._value(self)

    def __truediv__(self, o):
        return Par._value(self) / o

    def __rtruediv__(self, o):
        return o / Par._value(self)

    def __lt__(self, o):
        return Par._value(self) < o

    def __le__(self, o):
        return Par._value(self) <= o

    def __gt__(self, o):
        return Par._value(self) > o

    def __ge__(self, o):
        return Par._value(self) >= o

    def __neg__(self):
        return -Par._value(self)


def _via(o, name):
    cause = _oget(o, "_cause")
    if cause:
        return cause
    if _oget(o, "_desc") == "op" and name == "TDResources":
        return "thread-manager"
    return "direct"


def _use(o, suffix, name=""):
    if _oget(o, "_td"):
        _access(_oget(o, "_desc") + suffix, _via(o, name), _oget(o, "_origin"))


def _dunder(name):
    return name.startswith("__") and name.endswith("__") and name not in ("__enter__", "__exit__")


def _getattr(o, name):
    if _dunder(name):
        # Python's own machinery (isinstance, copy, repr...) is not TD use.
        return _oget(o, name)
    _use(o, "." + name, name)
    get = _oget(o, "_get")
    if get is not None:
        v = get(name)
        if v is not _NOATTR:
            return _inherit(o, v, name)
    if _oget(o, "_td") and not name.startswith("__"):
        # TD objects have far more members than we model: any other member
        # is another TD object.
        return _inherit(o, _value(_oget(o, "_desc") + "." + name), name)
    raise AttributeError("'%s' object has no attribute '%s'" % (type(o).__name__, name))


def _setattr(o, name, value):
    if _oget(o, "_td"):
        _access(_oget(o, "_desc") + "." + name + " =", _via(o, name), _oget(o, "_origin"))
    setter = _oget(o, "_set")
    if setter is None:
        raise AttributeError("'%s' object attribute '%s' is read-only" % (type(o).__name__, name))
    setter(name, value)


def _calltd(o, args, kwargs):
    _use(o, "()")
    call = _oget(o, "_call")
    if call is None:
        if _oget(o, "_td"):
            return _inherit(o, _value(_oget(o, "_desc") + "()"), "")
        raise TypeError("'%s' object is not callable" % type(o).__name__)
    return _inherit(o, call(*args, **kwargs), "")


def _copy(o, cls=None):
    cls = cls or type(o)
    cp = cls.__new__(cls)
    for slot in _TD.__slots__:
        _oset(cp, slot, _oget(o, slot))
    return cp


def _inherit(o, v, name):
    """How o was reached passes on to a TD object reached from it, on a
    copy; a worker that reaches a TD object by itself is marked with where
    it did."""
    if not isinstance(v, _TD) or not _oget(v, "_td"):
        return v
    cause, origin = _oget(o, "_cause"), _oget(o, "_origin")
    if not cause:
        if _is_main():
            return v
        cause, origin = _via(o, name), _site()
    if _oget(v, "_cause") and (_oget(v, "_origin") is not None or origin is None):
        return v
    cp = _copy(v)
    if not _oget(cp, "_cause"):
        _oset(cp, "_cause", cause)
    _oset(cp, "_origin", origin)
    return cp


def _mark(v, cause, origin):
    if not isinstance(v, _TD) or not _oget(v, "_td"):
        return v
    cp = _copy(v)
    _oset(cp, "_cause", cause)
    _oset(cp, "_origin", origin)
    return cp


def _handoff(args, kwargs):
    site = _site()
    return tuple(_mark(a, "passed-in", site) for a in args), {k: _mark(v, "passed-in", site) for k, v in kwargs.items()}


def _captured(target):
    """The function a new thread runs, with the TD objects in its closure
    cells marked as captured, on a copy of the function."""
    if not isinstance(target, types.FunctionType) or not target.__closure__:
        return target
    cells, changed = [], False
    for cell in target.__closure__:
        try:
            v = cell.cell_contents
        except ValueError:
            cells.append(cell)
            continue
        if isinstance(v, _TD) and _oget(v, "_td"):
            cells.append(types.CellType(_mark(v, "captured", None)))
            changed = True
        else:
            cells.append(cell)
    if not changed:
        return target
    f = types.FunctionType(target.__code__, target.__globals__, target.__name__, target.__defaults__, tuple(cells))
    f.__kwdefaults__ = target.__kwdefaults__
    f.__qualname__ = target.__qualname__
    return f


def _value(desc):
    # TD members we do not model accept writes (par.default = 1,
    # page.sort...): the write is the TD access.
    return td(desc, set=_ignore_set)


def _ignore_set(name, value):
    return None


def _bind(fname, args, kwargs, required, *names):
    """Binds arguments to names, Python-style; names after "*" are
    keyword-only; missing optional arguments are None."""
    names = list(names)
    kw_only = names.index("*") if "*" in names else len(names)
    if len(args) > kw_only:
        raise TypeError("%s() takes at most %d positional arguments (%d given)" % (fname, kw_only, len(args)))
    out = list(args) + [None] * (len(names) - len(args))
    given = [i < len(args) for i in range(len(names))]
    for k, v in kwargs.items():
        if k not in names or k == "*":
            raise TypeError("%s() got an unexpected keyword argument '%s'" % (fname, k))
        i = names.index(k)
        if given[i]:
            raise TypeError("%s() got multiple values for argument '%s'" % (fname, k))
        out[i], given[i] = v, True
    for i, n in enumerate(names[:required]):
        if not given[i]:
            raise TypeError("%s() missing required argument '%s'" % (fname, n))
    return out


# ---------------------------------------------------------------- the network


class _Node:
    __slots__ = ("path", "family", "text", "pars", "storage", "rows", "destroyed", "obj", "attrs")


_nodes = {}
_me = [None]


def _clean(p):
    p = posixpath.normpath("/" + p)
    while p.startswith("//"):
        p = p[1:]
    return p


def _node(p):
    p = _clean(p)
    n = _nodes.get(p)
    if n is not None:
        return n
    n = _Node()
    n.path, n.family, n.text, n.pars, n.storage, n.rows, n.destroyed, n.attrs = p, "COMP", "", {}, {}, [], False, {}
    base = posixpath.basename(p)
    if base.startswith("text") or base.startswith("table") or base.endswith("DAT"):
        n.family = "DAT"
    _nodes[p] = n
    n.obj = _op_object(n)
    return n


def _resolve(p):
    if not p.startswith("/"):
        p = posixpath.dirname(_me[0].path) + "/" + p
    n = _node(p)
    return None if n.destroyed else n


def _op_or_none(n):
    if n is None or n.destroyed:
        return None
    return n.obj


def _parent_of(n, *args, **kwargs):
    (up,) = _bind("parent", args, kwargs, 0, "n")
    up = 1 if up is None else int(up)
    p = n.path
    for _ in range(up):
        p = posixpath.dirname(p)
    return _op_or_none(_node(p))


def _op_object(n):
    def op_rel(*args, **kwargs):
        (rel,) = _bind("op", args, kwargs, 1, "path")
        if not isinstance(rel, str):
            raise TypeError("op() takes a path string")
        p = rel if rel.startswith("/") else n.path + "/" + rel
        return _op_or_none(_node(p))

    def destroy():
        n.destroyed = True
        _request("destroyed", path=n.path)

    def clear():
        n.rows, n.text = [], ""

    def append_row(*args):
        n.rows.append(list(args[0]) if args else [])

    def get(name):
        if name == "name":
            return posixpath.basename(n.path)
        if name == "path":
            return n.path
        if name == "valid":
            return not n.destroyed
        if name == "family":
            return n.family
        if name == "text":
            return n.text
        if name == "par":
            return _par_collection(n)
        if name == "storage":
            return n.storage
        if name == "numRows":
            return len(n.rows)
        if name == "op":
            return _Method("op", op_rel)
        if name == "parent":
            return _Method("parent", lambda *a, **k: _parent_of(n, *a, **k))
        if name == "destroy":
            return _Method("destroy", destroy)
        if name == "cook":
            return _Method("cook", lambda *a, **k: None)
        if name == "clear":
            return _Method("clear", clear)
        if name == "appendRow":
            return _Method("appendRow", append_row)
        if name in n.attrs:
            return n.attrs[name]
        if name == "module" and posixpath.basename(n.path) in _project:
            return _load_project(posixpath.basename(n.path))
        if name == "ThreadManager" and n.path == "/sys/TDResources":
            return _thread_manager()
        return _NOATTR

    def set_(name, v):
        if name == "text":
            n.text = str(v)
            return
        # TD operators have many settable members (isTimeSlice,
        # numSamples, color...): keep what is set.
        n.attrs[name] = v

    return OP("op('" + n.path + "')", get=get, set=set_, data=n)


def _par_collection(n):
    def get(name):
        if name.startswith("__"):
            return _NOATTR
        return _par(n, name)

    def set_(name, v):
        n.pars[name] = v

    return td("op('" + n.path + "').par", get=get, set=set_)


def _par(n, name):
    def val():
        return n.pars.get(name, 0.0)

    def get(attr):
        if attr == "eval":
            return _Method("eval", lambda *a, **k: val())
        if attr == "val":
            return val()
        if attr == "name":
            return name
        if attr == "owner":
            return n.obj
        if attr in extra:
            return extra[attr]
        return _NOATTR

    desc = "op('" + n.path + "').par." + name

    def set_(attr, v):
        if attr == "val":
            n.pars[name] = v
            return
        # expr, mode, enable, default, readOnly...: TD keeps them; so do we.
        extra[attr] = v

    extra = {}

    return Par(desc, get=get, set=set_, data=val)


_tm = [None]


def _thread_manager():
    if _tm[0] is None:

        def get(name):
            if name == "TDTask":
                return _Method("TDTask", _new_task)
            if name == "EnqueueTask":
                return _Method("EnqueueTask", _enqueue)
            return _NOATTR

        _tm[0] = td("op.TDResources.ThreadManager", get=get, cause="thread-manager")
    return _tm[0]


# ---------------------------------------------------------------- tasks

_HOOKS = ("SuccessHook", "ExceptHook", "RefreshHook")


class _TaskRec:
    __slots__ = ("id", "obj", "target", "args", "kwargs", "hooks", "given", "result", "exc")


_tasks = {}


def _new_task(*args, **kwargs):
    a = _bind("TDTask", args, kwargs, 1, "target", "SuccessHook", "ExceptHook", "RefreshHook", "args", "kwargs")
    targs = tuple(a[4]) if a[4] is not None else ()
    tkw = a[5] if a[5] is not None else {}
    if not isinstance(tkw, dict):
        raise TypeError("kwargs must be a dict with string keys")
    target = a[0]
    name, tsite = _func_info(target)
    here = _site()
    rec = _TaskRec()
    rec.target, rec.result, rec.exc = None, None, None
    rec.hooks = {"SuccessHook": a[1], "ExceptHook": a[2], "RefreshHook": a[3]}
    rec.given = {h: here for h in _HOOKS}
    rec.args, rec.kwargs = _handoff(targs, tkw)
    rec.target = _captured(target)
    r = _request("newtask", name=name, tsite=tsite)
    rec.id = r["id"]
    _tasks[rec.id] = rec
    for h in _HOOKS:
        _set_hook(rec, h)

    def get(attr):
        if attr == "target":
            return rec.target
        if attr == "args":
            return rec.args
        if attr == "kwargs":
            return rec.kwargs
        if attr in _HOOKS:
            return rec.hooks[attr]
        if attr == "State":
            return _request("taskstate", task=rec.id)["value"]
        if attr in ("thread", "RanBy"):
            tid = _request("taskthread", task=rec.id)["id"]
            return None if tid < 0 else _thread_object(tid)
        if attr == "Manager":
            _access("TDTask.Manager", "thread-manager", None)
            return _thread_manager()
        return _NOATTR

    def set_(attr, v):
        if attr in _HOOKS:
            rec.hooks[attr] = v
            rec.given[attr] = _site()
            _set_hook(rec, attr)
            return
        raise AttributeError("cannot set '%s' of a TDTask" % attr)

    rec.obj = TDTask("TDTask(" + name + ")", td=False, get=get, set=set_, data=rec)
    return rec.obj


def _set_hook(rec, name):
    h = rec.hooks[name]
    if h is None:
        _request("sethook", task=rec.id, name=name, present=False)
        return
    _, site = _func_info(h)
    _request("sethook", task=rec.id, name=name, present=True, hsite=site)


def _enqueue(*args, **kwargs):
    a = _bind("EnqueueTask", args, kwargs, 1, "task", "force", "standalone")
    task = a[0]
    if not isinstance(task, TDTask):
        raise TypeError("EnqueueTask() takes a TDTask")
    rec = _oget(task, "_data")
    r = _request("enqueue", task=rec.id, standalone=bool(a[2]))
    if r.get("err"):
        raise RuntimeError(r["err"]["msg"])
    tid = r["id"]
    return None if tid < 0 else _thread_object(tid)


def _message(e):
    name = type(e).__name__
    text = str(e)
    return name + ": " + text if text else name


def _run_target(rec):
    rec.result = rec.target(*rec.args, **rec.kwargs)


def _call_hook(rec, name, kinds, errmsg):
    args = []
    for k in kinds:
        if k == "task":
            args.append(rec.obj)
        elif k == "error":
            args.append(rec.exc if rec.exc is not None else RuntimeError(errmsg))
        elif k == "result":
            args.append(rec.result)
    h = rec.hooks[name]
    if h is None:
        return None
    try:
        h(*args)
    except TypeError as e:
        if e.__traceback__ is not None and e.__traceback__.tb_next is None and not isinstance(h, _TD):
            fname, _ = _func_info(h)
            n = len(args)
            msg = "%s `%s` called with %d argument%s: %s" % (name, fname, n, "" if n == 1 else "s", _message(e))
            return {"refused": True, "msg": msg, "site": rec.given[name]}
        raise
    return None


# ---------------------------------------------------------------- run()

_RUN_SIG = "endFrame fromOP asParameter group delayFrames delayMilliSeconds wallTime delayRef"
_runs = {}


def _run_bind():
    # TouchDesigner's run(), written from its documentation: binding a
    # call to this function gives CPython's own messages.
    def run(script, *args, endFrame=False, fromOP=None, asParameter=False, group=None, delayFrames=0, delayMilliSeconds=0, wallTime=False, delayRef=None):
        return script, args, endFrame, fromOP, group, delayFrames, delayMilliSeconds

    return run


_run_sig = _run_bind()


def _run_call(*args, **kwargs):
    site = _site()
    try:
        script, rest, end_frame, from_op, group, delay_frames, delay_ms = _run_sig(*args, **kwargs)
    except TypeError as e:
        _request("event", kind="run-error", cause="run-keyword", at=site, detail=_message(e))
        raise
    from_path = None
    if isinstance(from_op, OP):
        from_path = _oget(from_op, "_data").path
    if isinstance(script, str):
        label = script.strip()
        rec = ("str", script, rest, site)
    elif callable(script):
        name, _ = _func_info(script)
        label = name + "()"
        rec = ("call", script, rest, site)
    else:
        e = TypeError("run() argument 'script' must be a str or a callable, not '%s'" % type(script).__name__)
        _request("event", kind="run-error", cause="run-script-type", at=site, detail=_message(e))
        raise e
    h = _handle(rec)
    r = _request(
        "schedule",
        h=h,
        label=label,
        delayFrames=int(delay_frames or 0),
        delayMs=float(delay_ms or 0),
        endFrame=bool(end_frame),
        fromOP=from_path,
        group=group if isinstance(group, str) else "",
    )
    return _run_object(r["id"], group if isinstance(group, str) else "")


def _run_exec(rec):
    kind, script, rest, site = rec
    if kind == "call":
        script(*rest)
        return
    try:
        code = compile(script, _main_file[0] + ":run", "exec")
    except SyntaxError as e:
        _request("event", kind="run-error", cause="run-syntax", at=site, detail="the script given to run() does not compile: " + _message(e))
        return
    g = dict(_td_globals)
    g["args"] = rest
    _user_files.add(_main_file[0] + ":run")
    exec(code, g)


def _run_object(rid, group):
    def op(what, **kw):
        r = _request("runop", id=rid, what=what, **kw)
        if r.get("kind") == "gone":
            raise tdError("the Run has already executed or been killed")
        return r.get("value")

    def get(name):
        if name == "kill":
            return _Method("kill", lambda: op("kill"))
        if name == "active":
            return op("active")
        if name == "remainingFrames":
            return op("remainingFrames")
        if name == "group":
            return group
        return _NOATTR

    def set_(name, v):
        if name == "active":
            op("setactive", value=bool(v))
            return
        op("check")
        raise AttributeError("cannot set '%s' of a Run" % name)

    return Run("Run " + str(rid), get=get, set=set_, cause="run")


# ---------------------------------------------------------------- threads


_thread_objs = {}


def _thread_object(tid):
    o = _thread_objs.get(tid)
    if o is not None:
        return o
    info = _request("thread", id=tid)["value"]

    def get(name):
        if name == "name":
            return info["name"]
        if name == "ident":
            return tid + 1
        if name == "daemon":
            return True
        if name == "InfoQueue":
            return None if info["infoq"] < 0 else _queue_object(info["infoq"])
        if name == "InPool":
            return info["kind"] == "pool"
        if name == "is_alive":
            return _Method("is_alive", lambda: _request("alive", id=tid)["value"])
        if name == "join":
            return _Method("join", lambda timeout=None: _join(tid, timeout))
        return _NOATTR

    o = td("Thread " + info["name"], td=False, get=get)
    _thread_objs[tid] = o
    return o


def _join(tid, timeout):
    _request("join", id=tid, timeout=-1.0 if timeout is None else float(timeout))


def _timeout(t):
    return -1.0 if t is None else float(t)


class _Threading(types.ModuleType):
    pass


def _threading_module():
    real = sys.modules.get("threading") or __import__("threading")
    m = _Threading("threading")

    class Thread:
        """threading.Thread on the simulated scheduler."""

        def __init__(self, group=None, target=None, name=None, args=(), kwargs=None, *, daemon=None):
            targs, tkw = _handoff(tuple(args), dict(kwargs or {}))
            self._target = _captured(target)
            self._args, self._kwargs = targs, tkw
            self._name = name or ""
            self._tid = None
            self.daemon = bool(daemon)

        @property
        def name(self):
            if self._tid is not None:
                return _thread_object(self._tid).name
            return self._name

        @name.setter
        def name(self, v):
            self._name = v

        @property
        def ident(self):
            return None if self._tid is None else self._tid + 1

        def run(self):
            if self._target is not None:
                self._target(*self._args, **self._kwargs)

        def start(self):
            if self._tid is not None:
                raise RuntimeError("threads can only be started once")
            self._tid = _request("go", name=self._name, h=_handle(self.run))["id"]

        def is_alive(self):
            if self._tid is None:
                return False
            return _request("alive", id=self._tid)["value"]

        def join(self, timeout=None):
            if self._tid is None:
                raise RuntimeError("cannot join thread before it is started")
            _join(self._tid, timeout)

        @property
        def InfoQueue(self):
            return None

    class _LockBase:
        _reentrant = False

        def __init__(self):
            self._id = _request("lock", reentrant=self._reentrant)["id"]

        def acquire(self, blocking=True, timeout=-1):
            return _request("acquire", id=self._id, block=bool(blocking), timeout=_timeout(None if timeout == -1 else timeout))["value"]

        def release(self):
            if not _request("release", id=self._id)["value"]:
                raise RuntimeError("release unlocked lock")

        def locked(self):
            return _request("locked", id=self._id)["value"]

        def __enter__(self):
            return self.acquire()

        def __exit__(self, *exc):
            _request("release", id=self._id)
            return False

    class Lock(_LockBase):
        pass

    class RLock(_LockBase):
        _reentrant = True

    class Event:
        def __init__(self):
            self._id = _request("flag")["id"]

        def set(self):
            _request("flagset", id=self._id)

        def clear(self):
            _request("flagclear", id=self._id)

        def is_set(self):
            return _request("flagis", id=self._id)["value"]

        isSet = is_set

        def wait(self, timeout=None):
            return _request("flagwait", id=self._id, timeout=_timeout(timeout))["value"]

    def current_thread():
        return _thread_object(_request("current")["id"])

    def main_thread():
        return _thread_object(_MAIN)

    def get_ident():
        return _request("current")["id"] + 1

    m.Thread, m.Lock, m.RLock, m.Event = Thread, Lock, RLock, Event
    m.current_thread, m.main_thread, m.get_ident = current_thread, main_thread, get_ident
    m.currentThread = current_thread

    def fallback(name):
        return getattr(real, name)

    m.__getattr__ = fallback
    return m


class Empty(Exception):
    """Exception raised by Queue.get(block=0)/get_nowait()."""


class Full(Exception):
    """Exception raised by Queue.put(block=0)/put_nowait()."""


def _queue_object(qid):
    def get_(block=True, timeout=None):
        r = _request("get", id=qid, block=bool(block), timeout=_timeout(timeout))
        if not r["value"]:
            raise Empty()
        return _registry.pop(r.get("item", 0), None)

    def put_(item, block=True, timeout=None):
        if not _request("put", id=qid, item=_handle(item), block=bool(block), timeout=_timeout(timeout))["value"]:
            raise Full()

    def get(name):
        if name == "get":
            return _Method("get", get_)
        if name == "get_nowait":
            return _Method("get_nowait", lambda: get_(False))
        if name == "put":
            return _Method("put", put_)
        if name == "put_nowait":
            return _Method("put_nowait", lambda item: put_(item, False))
        if name == "empty":
            return _Method("empty", lambda: _request("qlen", id=qid)["value"] == 0)
        if name == "full":
            return _Method("full", lambda: _request("qfull", id=qid)["value"])
        if name == "qsize":
            return _Method("qsize", lambda: _request("qlen", id=qid)["value"])
        return _NOATTR

    return td("Queue", td=False, get=get, data=qid)


def _queue_module():
    m = types.ModuleType("queue")

    def Queue(maxsize=0):
        return _queue_object(_request("queue", maxsize=int(maxsize or 0))["id"])

    m.Queue = Queue
    m.SimpleQueue = lambda: Queue(0)
    m.LifoQueue = Queue
    m.Empty, m.Full = Empty, Full
    return m


_EPOCH = 1_764_000_000


def _time_module():
    real = __import__("time")
    m = _Threading("time")

    def sleep(secs):
        _request("sleep", secs=float(secs))

    def now():
        return _request("now")["value"]

    m.sleep = sleep
    m.time = lambda: _EPOCH + now()
    m.time_ns = lambda: int((_EPOCH + now()) * 1e9)
    m.monotonic = now
    m.perf_counter = now
    m.monotonic_ns = lambda: int(now() * 1e9)
    m.perf_counter_ns = m.monotonic_ns
    m.__getattr__ = lambda name: getattr(real, name)
    return m


def _response():
    resp = [None]

    def get(name):
        if name in ("status_code", "status"):
            return 200
        if name == "text":
            return "{}"
        if name == "ok":
            return True
        if name == "content":
            return b"{}"
        if name == "headers":
            return {"Content-Type": "application/json"}
        if name in ("url", "reason", "encoding"):
            return "" if name != "reason" else "OK"
        if name in ("iter_content", "iter_lines"):
            return _Method(name, lambda *a, **k: iter(()))
        if name == "getheader":
            return _Method(name, lambda *a, **k: None)
        if name == "getcode":
            return _Method(name, lambda: 200)
        if name == "json":
            return _Method("json", lambda *a, **k: {})
        if name == "read":
            return _Method("read", lambda *a, **k: b"{}")
        if name == "__enter__":
            return _Method("__enter__", lambda: resp[0])
        if name in ("__exit__", "close", "raise_for_status"):
            return _Method(name, lambda *a, **k: False)
        return _NOATTR

    resp[0] = Response("Response", td=False, get=get)
    return resp[0]


def _requests_module():
    m = types.ModuleType("requests")

    def verb(v):
        def call(url="", *args, **kwargs):
            _request("busy", what="requests." + v + "(" + (url if isinstance(url, str) else "") + ")")
            return _response()

        call.__name__ = v
        return call

    for v in ("get", "post", "put", "delete", "patch", "head", "request"):
        setattr(m, v, verb(v))

    class Session(_Context):
        def __init__(self, *a, **k):
            for v in ("get", "post", "put", "delete", "patch", "head", "request"):
                setattr(self, v, verb(v))

        def close(self):
            pass

    class RequestException(Exception):
        pass

    m.Session = Session
    m.Response = Response
    m.RequestException = RequestException
    m.HTTPError = m.ConnectionError = m.Timeout = RequestException
    m.exceptions = types.SimpleNamespace(RequestException=RequestException, Timeout=RequestException, ConnectionError=RequestException)
    return m


def _urllib_modules():
    import urllib
    import urllib.parse

    pkg = types.ModuleType("urllib")
    pkg.parse = urllib.parse
    req = _Threading("urllib.request")
    import urllib.request as real

    def urlopen(url, *args, **kwargs):
        u = url if isinstance(url, str) else getattr(url, "full_url", "")
        _request("busy", what="urllib.request.urlopen(" + u + ")")
        return _response()

    req.urlopen = urlopen
    req.__getattr__ = lambda name: getattr(real, name)
    pkg.request = req
    return pkg, req


def _socket_module():
    import socket as real

    m = _Threading("socket")

    class socket(_Context):
        def __init__(self, *a, **k):
            pass

        def _never(self, what):
            _request("never", what="socket." + what)

        def recv(self, *a, **k):
            self._never("recv")

        def recvfrom(self, *a, **k):
            self._never("recvfrom")

        def accept(self, *a, **k):
            self._never("accept")

        def getsockname(self):
            return ("127.0.0.1", 50000)

        def getpeername(self):
            return ("127.0.0.1", 50001)

        def fileno(self):
            return -1

        def makefile(self, *a, **k):
            import io

            return io.BytesIO()

        def __getattr__(self, name):
            if name.startswith("__"):
                raise AttributeError(name)
            # bind, connect, close, settimeout, setsockopt, listen, send...:
            # a scheduling point each, and nothing on the wire.
            return lambda *a, **k: _point()

    m.socket = socket
    m.AF_INET, m.SOCK_DGRAM, m.SOCK_STREAM = 2, 2, 1
    m.__getattr__ = lambda name: getattr(real, name)
    return m


def _server_modules():
    """socketserver and http.server on the simulated scheduler: no socket;
    serve_forever handles one request per handler method (do_GET,
    do_POST... or handle) on the thread that serves, as a real client
    would make it, then waits until shutdown()."""
    import io

    import http.server as real_http
    import socketserver as real_ss

    ss = _Threading("socketserver")
    hs = _Threading("http.server")

    class BaseRequestHandler:
        def __init__(self, request=None, client_address=("127.0.0.1", 50001), server=None):
            self.request, self.client_address, self.server = request, client_address, server
            self.rfile, self.wfile = io.BytesIO(b"{}"), io.BytesIO()
            self.connection = request

        def setup(self):
            pass

        def handle(self):
            pass

        def finish(self):
            pass

    class StreamRequestHandler(BaseRequestHandler):
        pass

    class DatagramRequestHandler(BaseRequestHandler):
        pass

    class BaseHTTPRequestHandler(StreamRequestHandler):
        server_version = "BaseHTTP/0.6"
        protocol_version = "HTTP/1.0"

        def __init__(self, request=None, client_address=("127.0.0.1", 50001), server=None):
            super().__init__(request, client_address, server)
            self.command, self.path, self.request_version = "GET", "/", "HTTP/1.1"
            self.requestline = "GET / HTTP/1.1"
            self.headers = {"Content-Length": "2", "Content-Type": "application/json", "Host": "127.0.0.1"}

        def send_response(self, code, message=None):
            pass

        send_response_only = send_response

        def send_header(self, keyword, value):
            pass

        def end_headers(self):
            pass

        def send_error(self, code, message=None, explain=None):
            pass

        def log_message(self, format, *args):
            pass

        def log_request(self, *a):
            pass

        def log_error(self, *a):
            pass

        def address_string(self):
            return self.client_address[0]

    class SimpleHTTPRequestHandler(BaseHTTPRequestHandler):
        pass

    class BaseServer(_Context):
        allow_reuse_address = True
        daemon_threads = True

        def __init__(self, server_address, RequestHandlerClass, bind_and_activate=True):
            self.server_address, self.RequestHandlerClass = server_address, RequestHandlerClass
            self._done = _stub("threading").Event()
            self._stopped = _stub("threading").Event()
            self.socket = _stub("socket").socket()

        def _one(self, verb, path=None):
            cls = self.RequestHandlerClass
            h = cls.__new__(cls)
            BaseHTTPRequestHandler.__init__(h, None, ("127.0.0.1", 50001), self)
            h.command = verb or "GET"
            h.path = path or "/"
            try:
                if verb:
                    getattr(h, "do_" + verb)()
                else:
                    h.setup()
                    h.handle()
                    h.finish()
            except Exception as e:  # the server logs it and serves on
                _request("event", kind="error", at=_tb_site(e.__traceback__), detail="request handler raised: " + _message(e))

        def serve_forever(self, poll_interval=0.5):
            verbs = [v for v in ("GET", "POST", "PUT", "DELETE", "OPTIONS") if hasattr(self.RequestHandlerClass, "do_" + v)]
            # the paths the handler routes on (self.path == '/mcp'...)
            paths = _literals(self.RequestHandlerClass, lambda n, v: v.startswith("/"))[:8] or ["/"]
            for verb in verbs or [None]:
                for path in paths if verb else [None]:
                    self._one(verb, path)
            self._done.wait()
            # The loop notices shutdown() at its next poll.
            _stub("time").sleep(poll_interval)
            self._stopped.set()

        def handle_request(self):
            self._one(None if not hasattr(self.RequestHandlerClass, "do_GET") else "GET", "/")

        def shutdown(self):
            # As the real one: it waits until serve_forever has returned
            # (forever, if nothing serves).
            self._done.set()
            self._stopped.wait()

        def server_close(self):
            pass

    class TCPServer(BaseServer):
        pass

    class UDPServer(BaseServer):
        pass

    class ThreadingMixIn:
        pass

    class ThreadingTCPServer(ThreadingMixIn, TCPServer):
        pass

    class ThreadingUDPServer(ThreadingMixIn, UDPServer):
        pass

    class HTTPServer(TCPServer):
        pass

    class ThreadingHTTPServer(ThreadingMixIn, HTTPServer):
        pass

    for k, v in dict(BaseRequestHandler=BaseRequestHandler, StreamRequestHandler=StreamRequestHandler, DatagramRequestHandler=DatagramRequestHandler,
                     BaseServer=BaseServer, TCPServer=TCPServer, UDPServer=UDPServer, ThreadingMixIn=ThreadingMixIn,
                     ThreadingTCPServer=ThreadingTCPServer, ThreadingUDPServer=ThreadingUDPServer).items():
        setattr(ss, k, v)
    for k, v in dict(BaseHTTPRequestHandler=BaseHTTPRequestHandler, SimpleHTTPRequestHandler=SimpleHTTPRequestHandler,
                     HTTPServer=HTTPServer, ThreadingHTTPServer=ThreadingHTTPServer).items():
        setattr(hs, k, v)
    ss.__getattr__ = lambda name: getattr(real_ss, name)
    hs.__getattr__ = lambda name: getattr(real_http, name)
    http_pkg = types.ModuleType("http")
    import http as real_pkg

    http_pkg.server = hs
    http_pkg.HTTPStatus = real_pkg.HTTPStatus
    http_pkg.__getattr__ = lambda name: getattr(real_pkg, name)
    return ss, hs, http_pkg


def _os_module():
    """os for the project's code: the file system's changes (makedirs,
    remove, rename...) are stand-ins that change nothing; reading is
    real."""
    import os as real

    m = _Threading("os")
    for name in ("mkdir", "makedirs", "remove", "unlink", "rename", "replace", "rmdir", "removedirs", "chmod", "utime", "symlink", "link", "truncate"):
        setattr(m, name, lambda *a, **k: _point())
    m.system = lambda cmd: (_request("busy", what="os.system(" + str(cmd) + ")"), 0)[1]
    m.startfile = lambda *a, **k: _point()
    m.path = real.path
    m.__getattr__ = lambda name: getattr(real, name)
    return m


def _shutil_module():
    import shutil as real

    m = _Threading("shutil")
    for name in ("rmtree", "move", "copy", "copy2", "copyfile", "copytree", "copymode", "copystat", "make_archive", "unpack_archive"):
        setattr(m, name, lambda *a, **k: _point())
    m.__getattr__ = lambda name: getattr(real, name)
    return m


def _futures_module():
    """concurrent.futures on the simulated scheduler: every submit runs on a
    simulated thread (a real pool would run the project's code outside
    the kernel)."""
    import concurrent.futures as real

    m = _Threading("concurrent.futures")

    class Future:
        def __init__(self):
            self._thread, self._value, self._exc, self._callbacks, self._done = None, None, None, [], False

        def result(self, timeout=None):
            self._thread.join(timeout)
            if self._exc is not None:
                raise self._exc
            return self._value

        def exception(self, timeout=None):
            self._thread.join(timeout)
            return self._exc

        def done(self):
            return self._done

        def running(self):
            return not self._done

        def cancel(self):
            return False

        def cancelled(self):
            return False

        def add_done_callback(self, fn):
            if self._done:
                fn(self)
            else:
                self._callbacks.append(fn)

    class ThreadPoolExecutor(_Context):
        def __init__(self, max_workers=None, thread_name_prefix="", *a, **k):
            self._prefix = thread_name_prefix or "ThreadPoolExecutor"
            self._n = 0

        def submit(self, fn, /, *args, **kwargs):
            f = Future()

            def work():
                try:
                    f._value = fn(*args, **kwargs)
                except Exception as e:  # kept for result()
                    f._exc = e
                f._done = True
                for cb in f._callbacks:
                    cb(f)

            self._n += 1
            f._thread = _stub("threading").Thread(target=work, name="%s_%d" % (self._prefix, self._n))
            f._thread.start()
            return f

        def map(self, fn, *iterables, timeout=None):
            return [f.result() for f in [self.submit(fn, *a) for a in zip(*iterables)]]

        def shutdown(self, wait=True, cancel_futures=False):
            pass

    m.Future, m.ThreadPoolExecutor = Future, ThreadPoolExecutor
    m.__getattr__ = lambda name: getattr(real, name)
    pkg = types.ModuleType("concurrent")
    pkg.futures = m
    return pkg, m


def _subprocess_module():
    import subprocess as real

    m = _Threading("subprocess")

    def runner(name):
        def call(args=(), *a, **k):
            what = args if isinstance(args, str) else " ".join(str(x) for x in args)
            _request("busy", what="subprocess." + name + "(" + what + ")")
            if name in ("call", "check_call"):
                return 0
            if name == "check_output":
                return b""
            return real.CompletedProcess(args, 0, b"", b"")

        return call

    for n in ("run", "call", "check_call", "check_output"):
        setattr(m, n, runner(n))

    class Popen:
        def __init__(self, args, *a, **k):
            self.args, self.returncode, self.pid = args, None, 4242

        def communicate(self, *a, **k):
            _request("busy", what="subprocess.Popen.communicate()")
            self.returncode = 0
            return b"", b""

        def wait(self, *a, **k):
            _request("busy", what="subprocess.Popen.wait()")
            self.returncode = 0
            return 0

        def poll(self):
            return self.returncode

    m.Popen = Popen
    m.__getattr__ = lambda name: getattr(real, name)
    return m


# ---------------------------------------------------------------- TD's globals


def _print(*args, sep=" ", end="\n", file=None, flush=False):
    text = (sep if sep is not None else " ").join(str(a) for a in args)
    if _batchable():
        _nowait("print", text=text)
        return
    r = _request("print", text=text)
    if r.get("err"):
        raise ThreadConflict(r["err"]["msg"])


def _td_globals_for(me):
    g = {}

    def op_call(*args, **kwargs):
        (p,) = _bind("op", args, kwargs, 1, "path")
        if not isinstance(p, str):
            raise TypeError("op() takes a path string")
        return _op_or_none(_resolve(p))

    def op_get(name):
        if name == "TDResources":
            return _node("/sys/TDResources").obj
        return _NOATTR

    g["op"] = td("op", call=op_call, get=op_get)

    def ops_call(*args, **kwargs):
        import fnmatch

        out = []
        for p in sorted(_nodes):
            n = _nodes[p]
            if n.destroyed:
                continue
            for pat in args:
                if not isinstance(pat, str):
                    continue
                q = pat if pat.startswith("/") else posixpath.dirname(me.path) + "/" + pat
                if fnmatch.fnmatchcase(p, q):
                    out.append(n.obj)
                    break
        return out

    g["ops"] = td("ops", call=ops_call)
    g["parent"] = td("parent", call=lambda *a, **k: _parent_of(me, *a, **k))
    g["me"] = me.obj
    g["root"] = _node("/").obj
    g["run"] = td("run", call=_run_call, cause="run")
    _oset(_node("/sys/TDResources").obj, "_cause", "thread-manager")
    for name in ("project", "ui", "app", "sysinfo", "ext", "families", "licenses", "monitors", "iop", "ipar", "runs"):
        g[name] = _value(name)
    g["tdu"] = _tdu()

    # mod.name / mod('name') is a module DAT as a Python module: plain
    # Python once fetched.
    def mod_get(name):
        if name in _project:
            return _load_project(name)
        return _NOATTR

    def mod_call(p):
        if isinstance(p, OP):  # mod(op('core'))
            p = _oget(p, "_data").path
        base = posixpath.basename(str(p))
        if base in _project:
            return _load_project(base)
        raise ModuleNotFoundError("No module named '%s'" % p)

    g["mod"] = td("mod", td=False, get=mod_get, call=mod_call)

    def abs_get(name):
        if name == "frame":
            return _request("frame")["value"]
        if name == "seconds":
            return _request("now")["value"]
        return _NOATTR

    g["absTime"] = td("absTime", get=abs_get)
    g["debug"] = td("debug", call=_print, cause="output")
    g["tdError"] = tdError
    g["ThreadConflict"] = ThreadConflict
    return g


def _tdu():
    """tdu: its pure utilities are plain Python (TD's docs: they take and
    return plain values and read no operator); the rest (Dependency,
    expandPath, collapsePath...) reads TD's state and is a TD access."""
    import math
    import random
    import re

    pure = {
        "rand": lambda seed=0: random.Random(hash(seed)).random(),
        "clamp": lambda v, lo, hi: max(lo, min(hi, v)),
        "remap": lambda v, a, b, c, d: c + (v - a) * (d - c) / ((b - a) or 1),
        "base": lambda s: re.sub(r"\d+$", "", str(s)),
        "digits": lambda s: int(m.group()) if (m := re.search(r"\d+$", str(s))) else None,
        "split": lambda s, eval=False: str(s).split(),
        "match": lambda pattern, inputList, caseSensitive=True: [x for x in inputList if re.fullmatch(pattern.replace("*", ".*"), x)],
        "legalName": lambda s: re.sub(r"[^A-Za-z0-9_]", "_", str(s)),
        "validName": lambda s: re.sub(r"[^A-Za-z0-9_]", "_", str(s)),
        "expand": lambda pattern: [pattern],
        "fileTypes": {},
        "Vector": lambda *a: list(a) or [0.0, 0.0, 0.0],
        "Position": lambda *a: list(a) or [0.0, 0.0, 0.0],
        "Color": lambda *a: list(a) or [0.0, 0.0, 0.0, 1.0],
        "Matrix": lambda *a: [[1.0 if i == j else 0.0 for j in range(4)] for i in range(4)],
        "Quaternion": lambda *a: list(a) or [0.0, 0.0, 0.0, 1.0],
        "pi": math.pi,
    }
    tdu_desc = "tdu"

    def get(name):
        if name in pure:
            return pure[name]
        return _value(tdu_desc + "." + name)

    def getter(name):
        v = get(name)
        if name not in pure:
            _access(tdu_desc + "." + name, "direct", None)
        return v

    return td("tdu", td=False, get=getter)


_td_globals = {}
_main_file = [""]
_project = {}  # module name -> (file name, source)
_stubs = {}
_real_import = builtins.__import__


def _td_module():
    m = types.ModuleType("td")
    m.__dict__.update(_td_globals)

    def missing(name):
        try:
            return _user_builtins.__missing__(name)
        except KeyError:
            raise AttributeError("module 'td' has no attribute '%s'" % name) from None

    m.__getattr__ = missing
    return m


# The stand-ins, made at their first import (urllib.request alone takes
# tens of milliseconds to import).
_stub_factories = {
    "td": _td_module,
    "threading": _threading_module,
    "queue": _queue_module,
    "time": _time_module,
    "requests": _requests_module,
    "socket": _socket_module,
    "subprocess": _subprocess_module,
    "urllib": lambda: _urllib_modules()[0],
    "urllib.request": lambda: _stub("urllib").request,
    "os": _os_module,
    "shutil": _shutil_module,
    "concurrent": lambda: _futures_module()[0],
    "concurrent.futures": lambda: _stub("concurrent").futures,
    "socketserver": lambda: _servers()[0],
    "http.server": lambda: _servers()[1],
    "http": lambda: _servers()[2],
}
_servers_made = []


def _servers():
    if not _servers_made:
        _servers_made.extend(_server_modules())
    return _servers_made


def _stub(name):
    m = _stubs.get(name)
    if m is None:
        m = _stubs[name] = _stub_factories[name]()
    return m


_loaded = {}


def _import(name, globals=None, locals=None, fromlist=(), level=0):
    """__import__ for the project's code: the stand-ins, then the project's
    own modules (compiled here, so their lines are tracked), then the real
    modules."""
    if level == 0:
        if name in _stub_factories:
            if "." in name and not fromlist:
                return _stub(name.split(".")[0])
            return _stub(name)
        if name in _project:
            return _load_project(name)
    project = _project_import(name, fromlist, level)
    if project is not None:
        return project
    try:
        return _real_import(name, globals, locals, fromlist, level)
    except ModuleNotFoundError as e:
        if level or not _config.get("project"):
            raise
        # A package TD ships (numpy, TDStoreTools...) or the project
        # installs, missing here: a stand-in that accepts everything, so
        # the code around it still runs.
        top = (e.name or name).split(".")[0]
        return _absent(top if not fromlist else name)


def _project_import(name, fromlist, level):
    """The project's own modules reached through packages or relative
    imports (from .x import y, import pkg.x, from pkg import x): TD finds
    module DATs by name, and so does the driver."""
    if not _config.get("project"):
        return None
    last = name.rsplit(".", 1)[-1] if name else ""
    if fromlist:
        if last in _project:
            return _load_project(last)
        if all(f in _project for f in fromlist if f != "*"):
            ns = types.ModuleType(name or "package")
            for f in fromlist:
                if f != "*":
                    setattr(ns, f, _load_project(f))
            return ns
        return None
    if last in _project and (level or "." in name):
        if level:
            return _load_project(last)
        parts = name.split(".")
        top = types.ModuleType(parts[0])
        cur = top
        for part in parts[1:-1]:
            nxt = types.ModuleType(part)
            setattr(cur, part, nxt)
            cur = nxt
        setattr(cur, last, _load_project(last))
        return top
    return None


class _Absent(types.ModuleType):
    """A module that is not installed here: every member is another
    stand-in, callable, iterable and empty."""

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return _AbsentValue(self.__name__ + "." + name)


class _AbsentValue:
    __slots__ = ("_n",)

    def __init__(self, n):
        self._n = n

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return _AbsentValue(self._n + "." + name)

    def __call__(self, *a, **k):
        return _AbsentValue(self._n + "()")

    def __iter__(self):
        return iter(())

    def __len__(self):
        return 0

    def __getitem__(self, k):
        return _AbsentValue(self._n + "[]")

    def __setitem__(self, k, v):
        pass

    def __mro_entries__(self, bases):
        return (object,)

    def __repr__(self):
        return "<absent " + self._n + ">"


_absent_mods = {}


def _absent(name):
    m = _absent_mods.get(name)
    if m is None:
        m = _absent_mods[name] = _Absent(name)
    return m


def _remember(file, src):
    """Keeps a source for inspect and tracebacks (a DAT has no file)."""
    import linecache

    linecache.cache[file] = (len(src), None, src.splitlines(True), file)


def _literals(obj, test):
    """The string constants of obj's source that test accepts, in order."""
    import ast
    import inspect

    try:
        tree = ast.parse(inspect.getsource(obj).lstrip() if not isinstance(obj, str) else obj)
    except (OSError, TypeError, SyntaxError, IndentationError):
        return []
    out = []
    for n in ast.walk(tree):
        if isinstance(n, ast.Compare):
            for side in [n.left] + n.comparators:
                if isinstance(side, ast.Constant) and isinstance(side.value, str) and test(n, side.value) and side.value not in out:
                    out.append(side.value)
    return out


def _compared_with_name(node, value):
    """A constant compared with something's .name (par.name == 'Start')."""
    import ast

    return any(isinstance(x, ast.Attribute) and x.attr == "name" for x in [node.left] + node.comparators)


class _ProjectFinder:
    """Imports that the project makes through sys.path (it put its own
    folders there) still reach its files through the driver, so their code
    sees the stand-ins."""

    @staticmethod
    def find_spec(fullname, path=None, target=None):
        if not _by_file or getattr(_tls, "finding", False):
            return None
        _tls.finding = True
        try:
            spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        finally:
            _tls.finding = False
        if spec is None or not spec.origin:
            return None
        name = _by_file.get(os.path.realpath(spec.origin))
        if name is None:
            return None
        return importlib.util.spec_from_loader(fullname, _ProjectLoader(name))


class _ProjectLoader:
    def __init__(self, name):
        self.name = name

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        loaded = _load_project(self.name)
        module.__dict__.update(loaded.__dict__)


_by_file = {}


def _load_project(name):
    m = _loaded.get(name)
    if m is not None:
        return m
    file, src = _project[name]
    src = src.lstrip("\ufeff")
    _remember(file, src)
    code = compile(src, file, "exec")
    _user_files.add(file)
    m = types.ModuleType(name)
    m.__dict__.update(_module_globals(name, file))
    _loaded[name] = m
    sys.modules.setdefault(name, m)
    exec(code, m.__dict__)
    return m


def _module_globals(name, file):
    g = dict(_td_globals)
    if _config.get("project"):
        # Every DAT of a project is its own `me`.
        g.update(_td_globals_for(_node("/project1/" + name)))
    g["__name__"] = name
    g["__file__"] = file
    g["__builtins__"] = _user_builtins
    return g


_TD_FAMILIES = ("COMP", "DAT", "CHOP", "TOP", "SOP", "MAT", "POP")
_TD_CLASSES = frozenset(
    "OP COMP DAT CHOP TOP SOP MAT POP Par ParMode ParCollection ParGroup Page Cell Channel Panel PanelValue "
    "Run Runs Connector Dependency Position Color Vector Matrix Quaternion PaneType JustifyType Monitors".split()
)


class _Builtins(dict):
    """The builtins of the project's code, with TD's own names: its
    operator classes (textCOMP, fifoDAT, scriptCHOP... often used in
    annotations) and enums exist in TD's Python."""

    def __missing__(self, name):
        if name in _TD_CLASSES or any(name.endswith(f) and name[: -len(f)].islower() for f in _TD_FAMILIES):
            cls = _td_class(name)
            self[name] = cls
            return cls
        raise KeyError(name)


def _td_class(name):
    # Every operator stand-in is an OP: isinstance(x, td.OP),
    # isinstance(x, textCOMP) hold for the OPs the simulation makes.
    if name == "Par":
        return Par
    if name in _TD_ENUMS:
        return _AbsentValue(name)  # ParMode.EXPRESSION...: a constant
    return OP


_TD_ENUMS = frozenset("ParMode PaneType JustifyType".split())


_user_builtins = _Builtins(builtins.__dict__)
_user_builtins["__import__"] = _import
_user_builtins["print"] = _print
_real_open = builtins.open


def _open(file, mode="r", *args, **kwargs):
    """open() for the project's code: reading is real, writing goes to
    memory (no file is ever written)."""
    if isinstance(mode, str) and any(c in mode for c in "wax+"):
        import io

        _point()
        return io.BytesIO() if "b" in mode else io.StringIO()
    return _real_open(file, mode, *args, **kwargs)


_user_builtins["open"] = _open


# ---------------------------------------------------------------- calls


_main_globals = {}
_main_code = [None]


def _error(e):
    if isinstance(e, _Abandon):
        raise e
    return {"msg": _message(e), "site": _tb_site(e.__traceback__), "type": type(e).__name__}


def _execute(m):
    kind = m["kind"]
    # What was true of the other threads when this thread last waited for
    # an answer is not now: wait for one before batching again.
    _tls.solo = False
    out = {"tid": _tls.tid, "op": "done"}
    try:
        if kind == "main":
            exec(_main_code[0], _main_globals)
        elif kind == "global":
            fn = _main_globals.get(m["name"])
            if fn is None:
                out["missing"] = True
            else:
                fn(*m.get("args", []))
        elif kind == "handle":
            _registry[m["h"]]()
        elif kind == "target":
            rec = _tasks[m["task"]]
            try:
                _run_target(rec)
            except Exception as e:
                rec.exc = e
                raise
        elif kind == "hook":
            refused = _call_hook(_tasks[m["task"]], m["name"], m.get("args", []), m.get("detail", ""))
            if refused:
                out["refused"] = refused
        elif kind == "run":
            _run_exec(_registry[m["h"]])
        elif kind == "import":
            _load_project(m["name"])
        elif kind == "extension":
            cls = getattr(_load_project(m["name"]), m["what"])
            owner = _node("/project1").obj
            _extensions[(m["name"], m["what"])] = cls(*_stub_args(cls.__init__, m["id"], m["name"], skip=1, owner=owner))
        elif kind == "callback":
            fn = getattr(_load_project(m["name"]), m["what"])
            _call_variants(fn, m["id"], m["name"], _load_project(m["name"]))
        elif kind == "method":
            inst = _extensions.get((m["name"], m["what"]))
            if inst is not None:
                fn = getattr(inst, m["text"])
                if callable(fn):
                    _call_variants(fn, m["id"], m["name"], type(inst))
    except _Abandon:
        raise
    except BaseException as e:  # noqa: BLE001 - every error is the thread's result
        out["err"] = _error(e)
    _send(out)


_extensions = {}


def _stub_arg(name, frame, owner, me):
    """A TD-like argument for a callback parameter, chosen by its name as
    TD's callback templates name them."""
    n = name.lower()
    if n == "frame":
        return frame
    if n in ("ownercomp", "comp", "owner"):
        return owner or _node("/project1").obj
    if n in ("par", "panelvalue", "value") or n.endswith("par"):
        return _par(me, "Value0")
    if n in ("prev", "index", "rowindex", "colindex", "row", "col", "i", "val", "channel", "sampleindex", "interval"):
        return 0
    if n in ("pars", "cells", "rows", "cols", "args", "ops", "changes"):
        return []
    if n in ("message", "msg", "address", "text", "contents", "path", "name", "peer_address"):
        return ""
    if n in ("bytes", "data"):
        return b""
    if n == "request":
        return {"uri": "/", "method": "GET", "pars": {}, "data": b"", "headers": {}, "clientAddress": "127.0.0.1", "serverAddress": "127.0.0.1"}
    if n in ("response", "info", "headers", "response_dict"):
        return {}
    if n in ("client", "scriptop", "panel", "peer") or n.endswith(("op", "dat", "comp", "chop", "top", "sop", "mat", "pop")):
        return me.obj
    return None


def _call_variants(fn, frame, module, scope):
    """Calls a parameter callback once per parameter name its code
    dispatches on (par.name == 'Start'...), so each branch runs; other
    entries once. The first error is the entry's."""
    args = _stub_args(fn, frame, module)
    pars = [i for i, a in enumerate(args) if isinstance(a, Par)]
    names = _literals(scope, _compared_with_name)[:12] if pars else []
    if not names:
        fn(*args)
        return
    first = None
    for name in names:
        variant = list(args)
        for i in pars:
            variant[i] = _par(_node("/project1/" + module), name)
        try:
            fn(*variant)
        except _Abandon:
            raise
        except Exception as e:
            first = first or e
    if first is not None:
        raise first


def _stub_args(fn, frame, module, skip=0, owner=None):
    import inspect

    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return []
    out = []
    params = list(sig.parameters.values())
    if skip and params and params[0].name == "self":
        params = params[1:]
    for p in params:
        if p.kind not in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) or p.default is not p.empty:
            break
        out.append(_stub_arg(p.name, frame, owner, _node("/project1/" + module)))
    return out


def _worker(tid):
    _tls.tid = tid
    _tls.solo = False
    box = _boxes[tid]
    try:
        while True:
            m = box.get()
            if m["op"] == "call":
                _execute(m)
            elif m["op"] == "exit":
                return
    except _Abandon:
        return


def _load(m):
    global _MAIN
    _MAIN = m.get("main_tid", 0)
    _config.update(m)
    _main_file[0] = m["name"]
    for name, mod in (m.get("modules") or {}).items():
        _project[name] = (mod["name"], mod["src"])
    for name, mod in _project.items():
        _user_files.add(mod[0])
        _by_file.setdefault(os.path.realpath(mod[0]), name)
    if m.get("project"):
        sys.meta_path.insert(0, _ProjectFinder)
    base = m["name"].replace("\\", "/").rsplit("/", 1)[-1]
    if base.endswith(".py"):
        base = base[:-3]
    _node("/project1")
    me = _node("/project1/" + base)
    me.family = "DAT"
    _me[0] = me
    _td_globals.update(_td_globals_for(me))
    if m.get("project"):
        return {}
    try:
        _remember(m["name"], m["src"].lstrip("\ufeff"))
        _main_code[0] = compile(m["src"].lstrip("\ufeff"), m["name"], "exec")
    except (SyntaxError, ValueError) as e:
        return {"loaderr": _message(e), "line": getattr(e, "lineno", 0) or 0}
    _user_files.add(m["name"])
    _main_globals.update(_module_globals(base, m["name"]))
    return {}


def _serve():
    buf = b""
    while True:
        chunk = _rfile.read(65536)
        if not chunk:
            os._exit(0)
        buf += chunk
        while True:
            i = buf.find(b"\n")
            if i < 0:
                break
            line, buf = buf[:i], buf[i + 1 :]
            m = json.loads(line)
            op = m["op"]
            if op == "load":
                r = _load(m)
                r.update({"tid": -1, "op": "loaded"})
                _send(r)
                continue
            if op == "quit":
                os._exit(0)
            tid = m["tid"]
            box = _boxes.get(tid)
            if box is None:
                box = _boxes[tid] = _queue.SimpleQueue()
                _thread.start_new_thread(_worker, (tid,))
            box.put(m)



# No real network, process or file-writing I/O from the simulated code: the
# stand-ins take their place, and anything else they miss is refused.
_REFUSED = frozenset(
    "socket.connect socket.bind socket.sendto socket.sendmsg subprocess.Popen os.system os.exec os.posix_spawn "
    "os.spawn os.fork os.forkpty os.kill os.killpg os.remove os.rename os.rmdir os.mkdir os.truncate os.chmod "
    "os.chown os.link os.symlink os.utime shutil.rmtree shutil.move shutil.copyfile webbrowser.open".split()
)
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC


def _audit(event, args):
    if event in _REFUSED:
        raise PermissionError("tdlint simulate: real I/O is not simulated: " + event)
    if event == "open" and len(args) >= 3:
        mode, flags = args[1], args[2]
        if (isinstance(mode, str) and any(c in mode for c in "wax+")) or (isinstance(flags, int) and flags & _WRITE_FLAGS):
            raise PermissionError("tdlint simulate: writing files is not simulated: " + str(args[0]))


sys.addaudithook(_audit)
_serve()
