package export

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"

	"golang.org/x/term"
)

// Run is [Export] as "dealwire export" runs it: into the file at path, or
// to stdout when path is empty, drawing a progress [Bar] on stderr when
// stderr is a terminal and the rows do not go to that terminal, and ending
// with the summary line ([Progress.String]) on stderr. A file is written
// under a temporary name beside path and renamed to path once complete, so
// a failed export leaves no truncated file behind.
func Run(ctx context.Context, s Searcher, opt Options, path string, stdout, stderr io.Writer) error {
	out, commit, abort, err := output(stdout, path)
	if err != nil {
		return err
	}
	// The bar redraws one line of standard error: only on a terminal, and
	// not over rows going to the same terminal.
	var bar *Bar
	if IsTerminal(stderr) && (path != "" || !IsTerminal(stdout)) {
		bar = &Bar{W: stderr}
		opt.Progress = bar.Update
	}
	p, err := Export(ctx, out, s, opt)
	if bar != nil {
		bar.Clear()
	}
	if err != nil {
		abort()
		return err
	}
	if err := commit(); err != nil {
		return err
	}
	fmt.Fprintln(stderr, p.String())
	return nil
}

// output returns where the export writes: stdout, or a temporary file
// beside path that commit renames to path and abort removes.
func output(stdout io.Writer, path string) (w io.Writer, commit func() error, abort func(), err error) {
	if path == "" {
		return stdout, func() error { return nil }, func() {}, nil
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return nil, nil, nil, fmt.Errorf("creating the output file: %w", err)
	}
	commit = func() error {
		if err := tmp.Sync(); err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
			return fmt.Errorf("writing %s: %w", path, err)
		}
		if err := tmp.Close(); err != nil {
			os.Remove(tmp.Name())
			return fmt.Errorf("writing %s: %w", path, err)
		}
		if err := os.Rename(tmp.Name(), path); err != nil {
			os.Remove(tmp.Name())
			return fmt.Errorf("writing %s: %w", path, err)
		}
		return nil
	}
	abort = func() {
		tmp.Close()
		os.Remove(tmp.Name())
	}
	return tmp, commit, abort, nil
}

// IsTerminal reports whether w is a terminal.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// GCPercent is the GOGC an export process runs with ([TuneCollector]).
const GCPercent = 400

// TuneCollector sets the process's GOGC to [GCPercent] unless GOGC is set
// in the environment. The collector marks the whole heap on each cycle,
// and about 30 MB of it are tables the binary's packages build at start-up
// (dates in many languages, for page extraction); at the default GOGC an
// export ran a cycle every 30 MB it allocated, a tenth of its CPU time.
// Four times fewer cycles for about 120 MB more memory, which stays flat
// however many rows.
func TuneCollector() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(GCPercent)
	}
}
