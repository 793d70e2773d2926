package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// defaultOutRoot is where runs without -out get their folders.
const defaultOutRoot = "out"

// outDir returns the folder a run writes into: out, created if missing, or
// when out is "" a new folder under defaultOutRoot named for the time and
// the architecture, such as out/20260920-140305-arm64-emulated. A name
// already taken gets a suffix: -2, -3...
func outDir(out string, when time.Time, goarch string, emulated bool) (string, error) {
	if out != "" {
		return out, os.MkdirAll(out, 0o755)
	}
	if err := os.MkdirAll(defaultOutRoot, 0o755); err != nil {
		return "", err
	}
	name := filepath.Join(defaultOutRoot, when.Format("20060102-150405")+"-"+goarch)
	if emulated {
		name += "-emulated"
	}
	for i := 1; ; i++ {
		dir := name
		if i > 1 {
			dir = fmt.Sprintf("%s-%d", name, i)
		}
		err := os.Mkdir(dir, 0o755)
		if !errors.Is(err, fs.ErrExist) {
			return dir, err
		}
	}
}
