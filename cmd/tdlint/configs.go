package main

import (
	"os"

	"github.com/tdlint/tdlint/analyzer"
)

// configsOf finds each input's configuration, by input name: the closest
// to its file (for stdin, to --stdin-filename, or else the working
// directory), unless --config named one for all; and the inputs on disk
// that exclude drops.
func configsOf(configs *analyzer.Configs, inputs []analyzer.Input) (governs map[string]*analyzer.Config, drop map[string]bool, err error) {
	governs = make(map[string]*analyzer.Config, len(inputs))
	drop = make(map[string]bool)
	for i := range inputs {
		in := &inputs[i]
		var cfg *analyzer.Config
		switch {
		case in.DiskPath != "":
			cfg, err = configs.For(in.DiskPath)
		case in.Name != "<stdin>":
			cfg, err = configs.For(in.Name)
		default:
			cfg, err = configs.ForDir(".")
		}
		if err != nil {
			return nil, nil, err
		}
		governs[in.Name] = cfg
		if in.DiskPath != "" {
			if drop[in.Name], err = configs.Excluded(in.DiskPath); err != nil {
				return nil, nil, err
			}
		}
	}
	return governs, drop, nil
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
