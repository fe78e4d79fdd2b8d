package main

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/dealwire/dealwire/extract"
	"github.com/dealwire/dealwire/news"
)

func runVersion(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "version", "print the dealwire build, extractor and schema versions")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	v := "(devel)"
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		v = bi.Main.Version
	}
	fmt.Fprintf(e.stdout, "dealwire %s\nextractor %s\nschema v%d\n%s\n", v, extract.Version, news.SchemaVersion, runtime.Version())
	return nil
}
