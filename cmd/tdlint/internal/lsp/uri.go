package lsp

import (
	"errors"
	"fmt"
	"net/url"
	"path"
	"runtime"
	"strings"
)

var errNotFile = errors.New("not a file: URI")

// uriToPath turns a file: URI into a path of this OS.
func uriToPath(uri string) (string, error) { return fileURIToPath(uri, runtime.GOOS) }

// pathToURI turns an absolute path of this OS into a file: URI.
func pathToURI(p string) string { return pathToFileURI(p, runtime.GOOS) }

// fileURIToPath turns a file: URI into a clean absolute path in goos's form.
// It takes what editors send: on Windows a drive letter in any case, with the
// colon as is or percent-encoded (VS Code sends file:///c%3A/Users/a.py),
// and a host for a UNC share (file://server/share/a.py is
// \\server\share\a.py). The drive letter comes back upper case, as Windows
// and Go's os.Getwd spell it, so one file has one path whatever the editor.
// It is pure, so the Windows rules are tested on every OS.
func fileURIToPath(uri, goos string) (string, error) {
	u, err := url.Parse(uri)
	if err != nil {
		return "", err
	}
	if u.Scheme != "file" || u.Opaque != "" {
		return "", fmt.Errorf("%w %q", errNotFile, uri)
	}
	host := u.Host
	if strings.EqualFold(host, "localhost") {
		host = ""
	}
	if goos != "windows" {
		if host != "" {
			return "", fmt.Errorf("file: URI %q names host %q: only Windows reaches shares by URI", uri, host)
		}
		if !strings.HasPrefix(u.Path, "/") {
			return "", fmt.Errorf("file: URI %q has no absolute path", uri)
		}
		return path.Clean(u.Path), nil
	}
	// Windows takes either slash; work with / and turn it round at the end.
	p := strings.ReplaceAll(u.Path, `\`, "/")
	if isDrive(host) {
		// One slash too few before a drive letter: it is no host name.
		p, host = host+p, ""
	}
	if host != "" {
		// A UNC path: \\host\share\rest. The share is its root: ".."
		// does not climb out of it.
		rest := strings.TrimPrefix(path.Clean("/"+p), "/")
		if rest == "" {
			return "", fmt.Errorf("file: URI %q names host %q but no share", uri, host)
		}
		return `\\` + host + `\` + strings.ReplaceAll(rest, "/", `\`), nil
	}
	p = strings.TrimPrefix(p, "/")
	if isDrive(p) {
		// C: alone is the drive's root; ".." never climbs above it.
		drive := strings.ToUpper(p[:1]) + ":"
		rest := path.Clean("/" + p[2:])
		return drive + strings.ReplaceAll(rest, "/", `\`), nil
	}
	return strings.ReplaceAll(path.Clean("/"+p), "/", `\`), nil
}

// isDrive reports whether p starts with a drive: "C:" alone or followed by
// a slash.
func isDrive(p string) bool {
	if len(p) < 2 || p[1] != ':' || (len(p) > 2 && p[2] != '/') {
		return false
	}
	c := p[0] | 0x20
	return c >= 'a' && c <= 'z'
}

// pathToFileURI turns an absolute path in goos's form into a file: URI that
// fileURIToPath turns back into the same path: on Windows file:///C:/x/a.py,
// and file://server/share/a.py for \\server\share\a.py. Characters that a
// URI path cannot hold (spaces, %, #, ?, non-ASCII) are percent-encoded.
func pathToFileURI(p, goos string) string {
	u := url.URL{Scheme: "file"}
	if goos == "windows" {
		p = strings.ReplaceAll(p, `\`, "/")
		if rest, ok := strings.CutPrefix(p, "//"); ok {
			u.Host, rest, _ = strings.Cut(rest, "/")
			p = rest
		}
		if isDrive(p) {
			p = strings.ToUpper(p[:1]) + p[1:]
		}
	}
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	u.Path = p
	return u.String()
}
