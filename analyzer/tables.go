package analyzer

import (
	"maps"
	"strings"
)

// The TouchDesigner API surface, thread entry points and blocking calls,
// as data in one place (docs/td-threading.md). Names are
// fully qualified: "td.op" is TD's global op whether it is reached as a
// DAT global, through `import td` or `from td import op`.

// TDGlobals are the names TouchDesigner injects into every DAT; using any
// of them (or anything derived from them) is TD access.
var TDGlobals = []string{
	"op", "ops", "me", "parent", "iop", "ipar", "root", "project", "ui", "app",
	"sysinfo", "absTime", "mod", "ext", "run", "families", "licenses", "monitors",
	"opex", "runs", "tdu", "debug", "var", "varExists", "varOwner", "fetchStamp",
	"passive", "clear",
}

// ThreadSafeMembers are TD names documented as safe to use from any
// thread (spec "Added facts"; TD's "Thread Manager", "TDU Class" and "td
// Module" pages): reaching one is not TD access, and what it yields is
// plain Python. An entry starting with "." is a member name on any
// receiver (the model cannot type every receiver, and the names are TD's
// own); any other entry is a fully qualified name.
var ThreadSafeMembers = []string{
	// td.isMainThread() is how a guard asks which thread it is on.
	"td.isMainThread",
	// The ThreadManager's documented thread-safe members.
	".GetStateSafe", ".SetStateSafe", ".GetRanBySafe", ".SetRanBySafe",
	".GetProgressSafe", ".SetProgressSafe", ".GetExceptionSafe", ".GetThreadInfoSafe",
	".InfoQueue",
	// A Logger COMP's SafeLogger: a Python logging.Logger made for threads.
	".SafeLogger",
	// tdu's utilities that compute on their arguments alone: no TD data
	// structure is read (the TDU Class page: "utility functions ... that
	// don't refer specifically to TouchDesigner data structures"). Left
	// out, so still TD: Dependency (TD's cook dependency graph),
	// expandPath/collapsePath (the project's folders), and anything not
	// named here.
	"td.tdu.rand", "td.tdu.clamp", "td.tdu.remap", "td.tdu.base", "td.tdu.digits",
	"td.tdu.split", "td.tdu.match", "td.tdu.expand", "td.tdu.legalName",
	"td.tdu.validName", "td.tdu.fileTypes", "td.tdu.Matrix", "td.tdu.Position",
	"td.tdu.Vector", "td.tdu.Quaternion", "td.tdu.Color", "td.tdu.FileInfo",
}

// TDOutput are builtins that TD redirects to its textport: calling them off
// the main thread touches TD as well.
var TDOutput = []string{"print"}

// ThreadManagerPaths are the expressions that reach TD's ThreadManager.
var ThreadManagerPaths = []string{"td.op.TDResources.ThreadManager"}

// WorkerEntry says how a call hands a callable to another thread: the
// callable is keyword Keyword or positional argument Arg (-1: none).
type WorkerEntry struct {
	Callee  string // fully qualified callee, or ".method" for any receiver
	Arg     int
	Keyword string
	// ArgsKeyword/ArgsArg locate the arguments passed along to the callable.
	ArgsKeyword string
	ArgsArg     int
	Kind        string // how users call it, for messages
}

// WorkerEntries are the ways Python code starts work on another thread.
var WorkerEntries = []WorkerEntry{
	{Callee: "td.op.TDResources.ThreadManager.TDTask", Arg: 0, Keyword: "target", ArgsKeyword: "args", ArgsArg: 3, Kind: "TDTask target"},
	{Callee: "threading.Thread", Arg: -1, Keyword: "target", ArgsKeyword: "args", ArgsArg: 3, Kind: "threading.Thread target"},
	{Callee: "threading.Timer", Arg: 1, Keyword: "function", ArgsKeyword: "args", ArgsArg: 2, Kind: "threading.Timer function"},
	{Callee: "_thread.start_new_thread", Arg: 0, Keyword: "function", ArgsKeyword: "args", ArgsArg: 1, Kind: "_thread.start_new_thread function"},
	{Callee: "asyncio.to_thread", Arg: 0, Keyword: "func", ArgsArg: -1, Kind: "asyncio.to_thread function"},
	{Callee: ".submit", Arg: 0, Keyword: "fn", ArgsArg: -1, Kind: "executor.submit function"},
	{Callee: ".map", Arg: 0, Keyword: "fn", ArgsArg: -1, Kind: "executor.map function"},
	{Callee: ".run_in_executor", Arg: 1, Keyword: "func", ArgsArg: -1, Kind: "run_in_executor function"},
	// Library threads that call back: python-osc's server calls its
	// dispatcher's handlers on the thread running serve_forever (in TD,
	// never the main one: serve_forever does not return); paho-mqtt calls
	// its callbacks on the network thread loop_start() starts.
	{Callee: "pythonosc.dispatcher.Dispatcher.map", Arg: 1, Keyword: "handler", ArgsArg: -1, Kind: "python-osc dispatcher handler"},
	{Callee: "pythonosc.dispatcher.Dispatcher.set_default_handler", Arg: 0, Keyword: "handler", ArgsArg: -1, Kind: "python-osc default handler"},
	{Callee: ".message_callback_add", Arg: 1, Keyword: "callback", ArgsArg: -1, Kind: "paho-mqtt message callback"},
}

// CallbackAttributes are attributes of library objects that hold
// callbacks the library calls on its own thread: `client.on_message = f`.
var CallbackAttributes = map[string][]string{
	"paho.mqtt.client.Client": {
		"on_connect", "on_connect_fail", "on_disconnect", "on_message", "on_publish",
		"on_subscribe", "on_unsubscribe", "on_log", "on_socket_open", "on_socket_close",
	},
}

// HandlerClasses are library base classes whose subclasses' methods the
// library calls on its own thread, with the methods it calls (a name
// ending in "_" is a prefix: do_GET, do_POST).
var HandlerClasses = map[string][]string{
	"socketserver.BaseRequestHandler":            requestHandlerMethods,
	"socketserver.StreamRequestHandler":          requestHandlerMethods,
	"socketserver.DatagramRequestHandler":        requestHandlerMethods,
	"http.server.BaseHTTPRequestHandler":         requestHandlerMethods,
	"http.server.SimpleHTTPRequestHandler":       requestHandlerMethods,
	"http.server.CGIHTTPRequestHandler":          requestHandlerMethods,
	"serial.threaded.Protocol":                   serialProtocolMethods,
	"serial.threaded.LineReader":                 append([]string{"handle_line", "handle_packet"}, serialProtocolMethods...),
	"serial.threaded.Packetizer":                 append([]string{"handle_packet"}, serialProtocolMethods...),
	"serial.threaded.FramedPacket":               append([]string{"handle_packet", "handle_out_of_packet_data"}, serialProtocolMethods...),
	"websocket.WebSocketApp":                     {"on_open", "on_message", "on_error", "on_close"},
	"paho.mqtt.client.Client":                    CallbackAttributesOf("paho.mqtt.client.Client"),
	"pythonosc.osc_server.OSCUDPServer":          {"handle_error"},
	"socketserver.ThreadingMixIn":                {"process_request_thread"},
	"http.server.ThreadingHTTPServer":            {"process_request_thread"},
	"socketserver.ThreadingTCPServer":            {"process_request_thread"},
	"socketserver.ThreadingUDPServer":            {"process_request_thread"},
	"pythonosc.osc_server.ThreadingOSCUDPServer": {"process_request_thread"},
}

// requestHandlerMethods: a socketserver handler's methods; the server
// calls them on its own thread (a threading server's per-request thread,
// or the thread that runs serve_forever, which in TD must not be main).
var requestHandlerMethods = []string{"handle", "setup", "finish", "do_"}

// serialProtocolMethods: pyserial's ReaderThread calls its protocol's
// methods on the reader thread.
var serialProtocolMethods = []string{"connection_made", "data_received", "connection_lost"}

// CallbackAttributesOf lists a type's callback attributes (a subclass
// may define them as methods).
func CallbackAttributesOf(typ string) []string { return CallbackAttributes[typ] }

// MainThreadHooks are TDTask keywords whose callables TD runs on the main
// thread.
var MainThreadHooks = []string{"SuccessHook", "ExceptHook", "RefreshHook"}

// HookArities are the positional argument counts TDTask hooks are called
// with, by convention. TD does not document them and sources disagree:
// TD's own ThreadManager example writes `def on_refresh(task)`; Embody's
// working code calls RefreshHook with nothing, SuccessHook with nothing or
// the target's result, ExceptHook with the error. A hook is wrong only if
// it fails under every convention (configurable: hook-arities).
var HookArities = map[string][]int{
	"SuccessHook": {0, 1},
	"RefreshHook": {0, 1},
	"ExceptHook":  {1, 2},
}

// TDCallbacks are the callback names TD calls on its main thread from
// callbacks DATs and execute DATs.
var TDCallbacks = []string{
	"onStart", "onCreate", "onExit", "onFrameStart", "onFrameEnd", "onPlayStateChange",
	"onDeviceChange", "onProjectPreSave", "onProjectPostSave", "onValueChange",
	"onValuesChanged", "onPulse", "onExpressionChange", "onExportChange",
	"onEnableChange", "onModeChange", "onTableChange", "onRowChange", "onColChange",
	"onCellChange", "onSizeChange", "onReceive", "onReceiveOSC", "onConnect",
	"onDisconnect", "onCook", "onSetupParameters", "onPulseParameter", "onOffToOn",
	"onWhileOn", "onOnToOff", "onWhileOff", "onSelectRow", "onSelect", "onClick",
	"onHover", "onInitTD", "onInitGetColumnNames", "onRadio", "onFocus", "onDrop",
	"onHTTPRequest", "onWebSocketOpen", "onWebSocketReceiveText", "onDestroy",
	"onPreCook", "onPostCook",
}

// UnattendedCallbacks are the TD callbacks that run without a user's
// action: every frame, on cooks, on incoming data and network events, on
// timers. Parameter, pulse and panel callbacks answer a user.
var UnattendedCallbacks = []string{
	"onFrameStart", "onFrameEnd", "onCook", "onPreCook", "onPostCook", "onWhileOn", "onWhileOff",
	"whileOn", "whileOff", "onReceive", "onReceiveOSC", "onConnect", "onDisconnect", "onHTTPRequest",
	"onWebSocketOpen", "onWebSocketReceiveText", "onTableChange", "onRowChange", "onColChange",
	"onCellChange", "onSizeChange", "onDeviceChange", "onTimerPulse", "whileTimerActive",
	"onSegmentEnter", "onSegmentExit", "onCycle", "onDone",
}

// ModalCalls wait for a user's answer: on main-thread code a user's action
// runs they are the point, elsewhere they freeze TD (TD201 reports them
// only in Unattended code).
var ModalCalls = []string{"td.ui.messageBox", "td.ui.chooseFile", "td.ui.chooseFolder"}

// TDCallbackParams are the first parameters of TD's callbacks as its
// callback DATs declare them (`onCook(scriptOp)`, `onPulse(par)`,
// `onHTTPRequest(webServerDAT, request, response)`, `onFrameStart(frame)`,
// `onReceive(dat, rowIndex, message, bytes)`): a module-level callback
// with one of these marks its file as TD code even when its body only
// uses its parameters.
var TDCallbackParams = []string{
	"scriptOp", "par", "pars", "dat", "op", "comp", "channel", "sampleIndex", "val", "prev",
	"frame", "webServerDAT", "webSocketDAT", "timerOp", "panelValue", "changeOp", "info",
	"chop", "panel", "client", "peer", "segment", "cycle", "interval", "rows", "cols", "cells",
	"parameter", "ownerComp", "udpDAT", "tcpipDAT", "oscDAT", "serialDAT", "mqttDAT",
	"oscinDAT", "oscinCHOP", "renderPick", "keyboardinDAT", "event",
}

// BlockingCalls freeze TD's frame loop when made on the main thread.
var BlockingCalls = []string{
	"time.sleep",
	"requests.get", "requests.post", "requests.put", "requests.patch", "requests.delete",
	"requests.head", "requests.options", "requests.request",
	"urllib.request.urlopen", "urllib.request.urlretrieve",
	"http.client.HTTPConnection.getresponse", "http.client.HTTPSConnection.getresponse",
	"socket.create_connection", "socket.socket.recv", "socket.socket.recvfrom",
	"socket.socket.accept", "socket.socket.connect", "socket.socket.sendall",
	"subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.check_output",
	"subprocess.Popen.wait", "subprocess.Popen.communicate",
	"os.system", "input",
	"threading.Thread.join", "threading.Event.wait", "threading.Condition.wait",
	"threading.Semaphore.acquire", "queue.Queue.get", "queue.Queue.join",
	// Loops that do not return until stopped, and asyncio run on the
	// caller's thread (TDAsyncIO's RunSync runs its coroutines to the end).
	// An entry starting with "." is a method name on any receiver.
	"asyncio.run", ".run_until_complete", ".run_forever", ".serve_forever", ".loop_forever", ".RunSync",
	"concurrent.futures.Future.result", "concurrent.futures.ThreadPoolExecutor.shutdown",
	// shutdown() waits until serve_forever() notices and the request it is
	// handling returns.
	"socketserver.BaseServer.shutdown", "socketserver.TCPServer.shutdown",
	"socketserver.UDPServer.shutdown", "socketserver.ThreadingTCPServer.shutdown",
	"socketserver.ThreadingUDPServer.shutdown", "socketserver.UnixStreamServer.shutdown",
	"socketserver.ThreadingUnixStreamServer.shutdown", "http.server.HTTPServer.shutdown",
	"http.server.ThreadingHTTPServer.shutdown", "xmlrpc.server.SimpleXMLRPCServer.shutdown",
	"wsgiref.simple_server.WSGIServer.shutdown",
	// build_opener() returns an OpenerDirector; open() is urlopen.
	"urllib.request.build_opener.open", "urllib.request.OpenerDirector.open",
	"socket.UDPSocket.recv", "socket.UDPSocket.recvfrom",
	// Modal dialogs: the main thread waits for the click (ModalCalls).
	"td.ui.messageBox", "td.ui.chooseFile", "td.ui.chooseFolder",
}

// SlowCalls take long without waiting on anything: loading a model,
// running one. A worker may make them; the main thread must not wait for
// a worker that is making one (TD202). ".name" matches any receiver.
var SlowCalls = []string{
	"torch.load", "torch.jit.load", "onnxruntime.InferenceSession", "onnxruntime.InferenceSession.run",
	"tensorflow.keras.models.load_model", "keras.models.load_model", "joblib.load", "pickle.load",
	"ultralytics.YOLO", "whisper.load_model", "cv2.dnn.readNet", "cv2.dnn.readNetFromONNX",
	"transformers.pipeline", "sentence_transformers.SentenceTransformer", ".from_pretrained",
}

// NonBlockingArgs are the arguments that make a blocking call return at
// once when they are False or zero: a position (the argument's index) or
// a keyword. get(False), join(timeout=0), shutdown(wait=False), ...
var NonBlockingArgs = map[string][]ArgRef{
	"queue.Queue.get":                                {{Pos: 0}, {Keyword: "block"}, {Pos: 1}, {Keyword: "timeout"}},
	"threading.Thread.join":                          {{Pos: 0}, {Keyword: "timeout"}},
	"threading.Event.wait":                           {{Pos: 0}, {Keyword: "timeout"}},
	"threading.Condition.wait":                       {{Pos: 0}, {Keyword: "timeout"}},
	"threading.Semaphore.acquire":                    {{Pos: 0}, {Keyword: "blocking"}, {Pos: 1}, {Keyword: "timeout"}},
	"concurrent.futures.Future.result":               {{Pos: 0}, {Keyword: "timeout"}},
	"concurrent.futures.ThreadPoolExecutor.shutdown": {{Pos: 0}, {Keyword: "wait"}},
	"subprocess.Popen.wait":                          {{Pos: 0}, {Keyword: "timeout"}},
	"subprocess.Popen.communicate":                   {{Pos: 1}, {Keyword: "timeout"}},
	"InfoQueue.get()":                                {{Pos: 0}, {Keyword: "block"}, {Pos: 1}, {Keyword: "timeout"}},
}

// ArgRef names one argument of a call: by position, or by keyword when
// Keyword is set.
type ArgRef struct {
	Pos     int
	Keyword string
}

// NonBlockingSocketSetters make a socket's later calls return at once
// when called with False or zero: setblocking(False), settimeout(0).
var NonBlockingSocketSetters = []string{"setblocking", "settimeout"}

// Constructors whose results the model tracks so that method calls on them
// resolve ("q = queue.Queue(); q.get()" is "queue.Queue.get").
var TrackedConstructors = []string{
	"threading.Thread", "threading.Event", "threading.Condition", "threading.Semaphore",
	"threading.Timer", "queue.Queue", "queue.LifoQueue", "queue.PriorityQueue",
	"queue.SimpleQueue", "socket.socket", "subprocess.Popen",
	"concurrent.futures.ThreadPoolExecutor", "http.client.HTTPConnection",
	"http.client.HTTPSConnection",
}

// LongLivedCalls never return by design: a target making one holds a pool
// worker forever.
var LongLivedCalls = []string{
	"socketserver.BaseServer.serve_forever", ".serve_forever", "asyncio.AbstractEventLoop.run_forever", ".run_forever",
}

// RunKeywords are the keyword arguments td.run accepts.
var RunKeywords = []string{
	"delayFrames", "delayMilliSeconds", "delayRef", "endFrame", "fromOP",
	"asParameter", "group", "wallTime",
}

// Tables is the effective set of tables for a run: the defaults above plus
// the user's additions from configuration.
type Tables struct {
	TDGlobals      map[string]bool
	Callbacks      map[string]bool
	Blocking       map[string]bool
	LongLived      map[string]bool
	WorkerEntries  []WorkerEntry
	Constructors   map[string]bool
	ThreadManagers map[string]bool
	// ThreadSafe holds ThreadSafeMembers; SafeAttrs their last parts, to
	// skip qualifying attributes that cannot be one.
	ThreadSafe map[string]bool
	SafeAttrs  map[string]bool
	// safeShapes holds the lengths and first letters of SafeAttrs: most
	// attributes are refused by it without hashing (safeAttr).
	safeShapes [64]uint64
	// Unattended holds UnattendedCallbacks; Modal holds ModalCalls.
	Unattended map[string]bool
	Modal      map[string]bool
	// HookArities says how many positional arguments each TDTask hook may
	// be called with.
	HookArities map[string][]int
	// blockingLast holds the last names of Blocking's entries (lastName):
	// a call whose name ends otherwise is not looked up.
	blockingLast map[string]bool
}

func set(lists ...[]string) map[string]bool {
	m := make(map[string]bool)
	for _, l := range lists {
		for _, s := range l {
			m[s] = true
		}
	}
	return m
}

// DefaultTables returns the built-in tables.
func DefaultTables() *Tables {
	t := &Tables{
		TDGlobals:      set(TDGlobals),
		Callbacks:      set(TDCallbacks),
		Blocking:       set(BlockingCalls),
		LongLived:      set(LongLivedCalls),
		WorkerEntries:  append([]WorkerEntry(nil), WorkerEntries...),
		Constructors:   set(TrackedConstructors),
		ThreadManagers: set(ThreadManagerPaths),
		ThreadSafe:     set(ThreadSafeMembers),
		SafeAttrs:      lastParts(ThreadSafeMembers),
		HookArities:    maps.Clone(HookArities),
		Unattended:     set(UnattendedCallbacks),
		Modal:          set(ModalCalls),
	}
	for attr := range t.SafeAttrs {
		t.noteSafeAttr(attr)
	}
	t.blockingLast = make(map[string]bool, len(t.Blocking))
	for q := range t.Blocking {
		t.blockingLast[lastName(q)] = true
	}
	return t
}

// lastName is what follows the last dot of a qualified name, instance
// markers left out: "recv" for "socket.socket().recv", "sleep" for
// "time.sleep" and ".sleep".
func lastName(q string) string {
	q = strings.TrimSuffix(q, "()")
	return q[strings.LastIndexByte(q, '.')+1:]
}

// safeAttr reports whether attr is the last part of a thread-safe
// member (SafeAttrs); it is asked of every attribute a body reads.
func (t *Tables) safeAttr(attr string) bool {
	if attr == "" || t.safeShapes[len(attr)&63]&(1<<(attr[0]&63)) == 0 {
		return false
	}
	return t.SafeAttrs[attr]
}

// noteSafeAttr adds attr to SafeAttrs and its shape to safeShapes.
func (t *Tables) noteSafeAttr(attr string) {
	t.SafeAttrs[attr] = true
	if attr != "" {
		t.safeShapes[len(attr)&63] |= 1 << (attr[0] & 63)
	}
}

func lastParts(names []string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n[strings.LastIndexByte(n, '.')+1:]] = true
	}
	return m
}

// known reports whether a library type's member is one the tables say
// something about (it blocks, never returns, or starts a thread): only
// those are worth typing through a project class's library base, which
// would otherwise give every inherited attribute a value to follow.
func (t *Tables) known(typ, member string) bool {
	q := typeName(typ) + "." + member
	if t.Blocking[q] || t.LongLived[q] || t.Blocking["."+member] || t.LongLived["."+member] {
		return true
	}
	for _, e := range t.WorkerEntries {
		if e.Callee == q {
			return true
		}
	}
	return false
}

// threadSafe reports whether attribute attr, qualified q (maybe ""), is
// documented as safe in any thread.
func (t *Tables) threadSafe(attr, q string) bool {
	return t.ThreadSafe["."+attr] || q != "" && t.ThreadSafe[typeName(q)]
}

// Extend adds user-declared entries (from configuration) to the tables.
func (t *Tables) Extend(tdGlobals, callbacks, blocking, threadSafe []string, workers []WorkerEntry) {
	for _, s := range threadSafe {
		t.ThreadSafe[s] = true
		t.noteSafeAttr(s[strings.LastIndexByte(s, '.')+1:])
	}
	for _, s := range tdGlobals {
		t.TDGlobals[s] = true
	}
	for _, s := range callbacks {
		t.Callbacks[s] = true
	}
	for _, s := range blocking {
		t.Blocking[s] = true
		t.blockingLast[lastName(s)] = true
	}
	t.WorkerEntries = append(t.WorkerEntries, workers...)
}
