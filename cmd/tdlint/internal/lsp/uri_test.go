package lsp

import (
	"errors"
	"testing"
)

// What editors send on Windows, converted as the server would on Windows:
// the rules are pure, so they are tested on every OS.
func TestFileURIToPathWindows(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ uri, want string }{
		{"file:///c%3A/Users/x/a.py", `C:\Users\x\a.py`}, // VS Code
		{"file:///C:/Users/x/a.py", `C:\Users\x\a.py`},   // Neovim, Go
		{"file:///c:/Users/x/a.py", `C:\Users\x\a.py`},
		{"file:///C%3a/Users/x/a.py", `C:\Users\x\a.py`},
		{"file:///d%3A/TD%20projects/caf%C3%A9/x%23y.py", `D:\TD projects\café\x#y.py`},
		{"file:///C:/a/./b/../c.py", `C:\a\c.py`},
		{"file:///C:/../../a.py", `C:\a.py`}, // never above the drive
		{"file:///C:", `C:\`},
		{"file:///C:/", `C:\`},
		{"file://C:/a.py", `C:\a.py`}, // a slash too few
		{"file://server/share/a.py", `\\server\share\a.py`},
		{"file://server/share/../../a.py", `\\server\a.py`},
		{"file://localhost/C:/a.py", `C:\a.py`},
		{"file:///C:/a%5Cb.py", `C:\a\b.py`}, // an encoded backslash is a separator there
		{"file:///Users/a.py", `\Users\a.py`},
	} {
		got, err := fileURIToPath(tc.uri, "windows")
		if err != nil || got != tc.want {
			t.Errorf("fileURIToPath(%q, windows) = %q, %v; want %q", tc.uri, got, err, tc.want)
		}
	}
}

func TestFileURIToPathUnix(t *testing.T) {
	t.Parallel()
	for _, goos := range []string{"linux", "darwin"} {
		for _, tc := range []struct{ uri, want string }{
			{"file:///home/x/a.py", "/home/x/a.py"},
			{"file:///Users/x/TD%20projects/caf%C3%A9.py", "/Users/x/TD projects/café.py"},
			{"file://localhost/tmp/a.py", "/tmp/a.py"},
			{"file:///tmp/./b/../a.py", "/tmp/a.py"},
			{"file:///tmp/a%5Cb.py", `/tmp/a\b.py`}, // a backslash is a name's byte here
		} {
			got, err := fileURIToPath(tc.uri, goos)
			if err != nil || got != tc.want {
				t.Errorf("fileURIToPath(%q, %s) = %q, %v; want %q", tc.uri, goos, got, err, tc.want)
			}
		}
	}
}

func TestFileURIToPathRefusesWhatIsNoLocalFile(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ uri, goos string }{
		{"untitled:Untitled-1", "windows"},
		{"untitled:Untitled-1", "linux"},
		{"https://example.com/a.py", "linux"},
		{"file:a.py", "linux"},
		{"file://server/share/a.py", "linux"}, // no shares by URI off Windows
		{"file://server", "windows"},          // a host but no share
		{"file:///%zz", "linux"},
	} {
		if got, err := fileURIToPath(tc.uri, tc.goos); err == nil {
			t.Errorf("fileURIToPath(%q, %s) = %q, want an error", tc.uri, tc.goos, got)
		}
	}
	if _, err := fileURIToPath("untitled:Untitled-1", "linux"); !errors.Is(err, errNotFile) {
		t.Errorf("an untitled: URI: %v, want errNotFile", err)
	}
}

// A path the server sends comes back as the same path, on each OS (on
// Windows with the drive letter upper case).
func TestPathToFileURIRoundTrips(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ goos, path, uri, back string }{
		{"windows", `C:\Users\x\a.py`, "file:///C:/Users/x/a.py", `C:\Users\x\a.py`},
		{"windows", `c:\Users\x\a.py`, "file:///C:/Users/x/a.py", `C:\Users\x\a.py`},
		{"windows", `D:\TD projects\café\x#y.py`, "file:///D:/TD%20projects/caf%C3%A9/x%23y.py", `D:\TD projects\café\x#y.py`},
		{"windows", `\\server\share\a.py`, "file://server/share/a.py", `\\server\share\a.py`},
		{"windows", `C:\`, "file:///C:/", `C:\`},
		{"linux", "/home/x/a b.py", "file:///home/x/a%20b.py", "/home/x/a b.py"},
		{"darwin", "/Users/x/100%.py", "file:///Users/x/100%25.py", "/Users/x/100%.py"},
		{"linux", `/tmp/a\b?.py`, "file:///tmp/a%5Cb%3F.py", `/tmp/a\b?.py`},
	} {
		uri := pathToFileURI(tc.path, tc.goos)
		if uri != tc.uri {
			t.Errorf("pathToFileURI(%q, %s) = %q, want %q", tc.path, tc.goos, uri, tc.uri)
		}
		if back, err := fileURIToPath(uri, tc.goos); err != nil || back != tc.back {
			t.Errorf("fileURIToPath(%q, %s) = %q, %v; want %q", uri, tc.goos, back, err, tc.back)
		}
	}
}
