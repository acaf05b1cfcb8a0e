package analyzer

import "testing"

// A member named thread-safe in configuration is safe like the built-in
// ones: the quick refusal in front of SafeAttrs must learn its shape.
func TestConfiguredThreadSafeMemberIsNotTDAccess(t *testing.T) {
	src := `import threading

class LogExt:
    def __init__(self, ownerComp):
        self.ownerComp = ownerComp

    def Start(self):
        threading.Thread(target=self._work).start()

    def _work(self):
        self.ownerComp.SafeLogger.info('built in')
        self.ownerComp.AuditTrail.append('configured')
`
	accessesOf := func(tables *Tables) []string {
		var out []string
		for _, a := range functionNamed(t, programOf(tables, src), "LogExt._work").Accesses {
			out = append(out, a.What)
		}
		return out
	}
	if got := accessesOf(DefaultTables()); len(got) != 1 || got[0] != "self.ownerComp" {
		t.Fatalf("default tables: accesses %q, want only self.ownerComp (through AuditTrail)", got)
	}
	configured := DefaultTables()
	configured.Extend(nil, nil, nil, []string{".AuditTrail"}, nil)
	if !configured.safeAttr("AuditTrail") || configured.safeAttr("append") {
		t.Errorf("safeAttr: AuditTrail %v (want true), append %v (want false)", configured.safeAttr("AuditTrail"), configured.safeAttr("append"))
	}
	if got := accessesOf(configured); len(got) != 0 {
		t.Errorf("with .AuditTrail thread-safe: accesses %q, want none", got)
	}
}

// A blocking call named in configuration is found like a built-in one:
// the quick refusal in front of Blocking must learn its last name.
func TestConfiguredBlockingCallIsNoted(t *testing.T) {
	src := `import time
import mylib

def onFrameStart(frame):
    time.sleep(0.1)
    mylib.wait_for_device(3)
    mylib.ready()
`
	blockingOf := func(tables *Tables) []string {
		var out []string
		for _, b := range functionNamed(t, programOf(tables, src), "onFrameStart").Blocking {
			out = append(out, b.Name)
		}
		return out
	}
	if got := blockingOf(DefaultTables()); len(got) != 1 || got[0] != "time.sleep" {
		t.Fatalf("default tables: blocking %q, want time.sleep only", got)
	}
	configured := DefaultTables()
	configured.Extend(nil, nil, []string{"mylib.wait_for_device"}, nil, nil)
	if got := blockingOf(configured); len(got) != 2 || got[1] != "mylib.wait_for_device" {
		t.Errorf("with mylib.wait_for_device configured: blocking %q", got)
	}
}
