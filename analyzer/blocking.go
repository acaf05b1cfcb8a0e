package analyzer

import "github.com/tdlint/tdlint/pyparse"

// BlockingCall is a call in a function's own code that waits: an API of
// Tables.Blocking (time.sleep, requests.get, a blocking Queue.get, ...) or
// InfoQueue.get(). The bodies phase finds them while it resolves every
// call anyway, so a rule about waiting need not walk and resolve again.
type BlockingCall struct {
	Site *pyparse.Call
	// Name is what blocks: "time.sleep", "InfoQueue.get()".
	Name string
	// Only is the one thread that can make it, under a guard.
	Only ThreadContext
}

// noteBlocking records call in fn.Blocking if it waits; q is its callee's
// qualified name.
func (p *Program) noteBlocking(fn *Function, call *pyparse.Call, q string) {
	if name := p.blockingName(call, q); name != "" {
		fn.Blocking = append(fn.Blocking, BlockingCall{Site: call, Name: name})
	}
}

// blockingName returns the blocking API a call makes, or "".
func (p *Program) blockingName(call *pyparse.Call, q string) string {
	attr, isAttr := call.Func.(*pyparse.Attribute)
	if !p.Tables.blockingLast[lastName(q)] && (!isAttr || !p.Tables.blockingLast[attr.Attr] && attr.Attr != "get") {
		return "" // no blocking API ends so: most calls
	}
	name := typeName(q)
	if isAttr && attr.Attr == "get" {
		if inner, ok := attr.Value.(*pyparse.Attribute); ok && inner.Attr == "InfoQueue" {
			name = "InfoQueue.get()"
		}
	}
	switch {
	case name == "InfoQueue.get()" || name != "" && p.Tables.Blocking[name]:
	case isAttr && p.Tables.Blocking["."+attr.Attr]:
		// A method that blocks on any receiver (the table's ".name").
		if name == "" {
			name = "." + attr.Attr
		}
	default:
		return ""
	}
	for _, a := range NonBlockingArgs[name] {
		if zeroArg(call, a) {
			return ""
		}
	}
	return name
}

// zeroArg reports an argument given as False, 0 or 0.0.
func zeroArg(call *pyparse.Call, a ArgRef) bool {
	var e pyparse.Expr
	if a.Keyword != "" {
		for _, k := range call.Keywords {
			if k.Arg == a.Keyword {
				e = k.Value
			}
		}
	} else if a.Pos < len(call.Args) {
		if _, star := call.Args[a.Pos].(*pyparse.Starred); !star {
			e = call.Args[a.Pos]
		}
	}
	return e != nil && FalseOrZero(e)
}

// FalseOrZero reports a False, 0 or 0.0 literal: the argument that makes
// a waiting call return at once.
func FalseOrZero(e pyparse.Expr) bool {
	if c, ok := e.(*pyparse.Constant); ok && c.Value.Kind == pyparse.ConstFloat {
		return c.Value.Float == 0
	}
	truth, known := ConstantTruth(e)
	return known && !truth
}

// ConstantTruth is the truth value of a True, False or integer literal;
// known is false for anything else.
func ConstantTruth(e pyparse.Expr) (truth, known bool) {
	c, ok := e.(*pyparse.Constant)
	if !ok {
		return false, false
	}
	switch c.Value.Kind {
	case pyparse.ConstTrue:
		return true, true
	case pyparse.ConstFalse:
		return false, true
	}
	v, ok := c.Value.IntValue()
	return v != 0, ok
}
