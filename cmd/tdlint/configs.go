package main

import (
	"os"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/tdlint/tdlint/analyzer"
)

// configsOf finds each input's configuration, by input name: the closest
// to its file (for stdin, to --stdin-filename, or else the working
// directory), unless --config named one for all; and the inputs on disk
// that exclude drops.
func configsOf(configs *analyzer.Configs, inputs []analyzer.Input) (governs map[string]*analyzer.Config, drop map[string]bool, err error) {
	// Each input's configuration is looked up on all cores (a folder's
	// configuration files are stat calls, thousands in a large project),
	// then gathered in input order: the first error is the first input's.
	each := make([]inputConfig, len(inputs))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < len(inputs); i = int(next.Add(1) - 1) {
				each[i] = configOf(configs, &inputs[i])
			}
		})
	}
	wg.Wait()
	governs = make(map[string]*analyzer.Config, len(inputs))
	drop = make(map[string]bool)
	for i := range inputs {
		in, f := &inputs[i], each[i]
		if f.err != nil {
			return nil, nil, f.err
		}
		governs[in.Name] = f.cfg
		if in.DiskPath != "" {
			drop[in.Name] = f.excluded
		}
	}
	return governs, drop, nil
}

// inputConfig is the configuration governing one input, and whether its
// exclude drops it.
type inputConfig struct {
	cfg      *analyzer.Config
	excluded bool
	err      error
}

func configOf(configs *analyzer.Configs, in *analyzer.Input) (f inputConfig) {
	switch {
	case in.DiskPath != "":
		f.cfg, f.err = configs.For(in.DiskPath)
	case in.Name != "<stdin>":
		f.cfg, f.err = configs.For(in.Name)
	default:
		f.cfg, f.err = configs.ForDir(".")
	}
	if f.err == nil && in.DiskPath != "" {
		f.excluded, f.err = configs.Excluded(in.DiskPath)
	}
	return f
}

// inputPaths are the paths per-file-ignores are matched against, by
// input name: the file on disk, or the name given to stdin.
func inputPaths(inputs []analyzer.Input) map[string]string {
	paths := make(map[string]string, len(inputs))
	for i := range inputs {
		in := &inputs[i]
		paths[in.Name] = in.DiskPath
		if in.DiskPath == "" && in.Name != "<stdin>" {
			paths[in.Name] = in.Name
		}
	}
	return paths
}

// allFiles says whether every path names a file (not stdin, not a
// folder).
func allFiles(paths []string) bool {
	for _, p := range paths {
		info, err := os.Stat(p) //nolint:gosec // the user names the paths to lint
		if p == "-" || err != nil || info.IsDir() {
			return false
		}
	}
	return len(paths) > 0
}
