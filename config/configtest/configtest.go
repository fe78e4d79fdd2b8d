// Package configtest holds what tests of several packages need around the
// configuration: an environment without the developer's DEALWIRE_*
// settings and a configuration file with an FX table of its own.
package configtest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// ClearEnv unsets every DEALWIRE_* variable for the test (they are
// restored after it), so that a developer's or CI's settings do not leak in.
func ClearEnv(t testing.TB) {
	t.Helper()
	for _, kv := range os.Environ() {
		if name, _, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "DEALWIRE_") {
			t.Setenv(name, "")
			os.Unsetenv(name)
		}
	}
}

// FXConfig writes, under dir, an FX table that values the euro at two
// dollars and a configuration file that uses it, and returns the
// configuration file's path.
func FXConfig(t testing.TB, dir string) string {
	t.Helper()
	fxPath := filepath.Join(dir, "fx.tsv")
	if err := os.WriteFile(fxPath, []byte("date\t2026-01-02\nUSD\t1\nEUR\t2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfgPath := filepath.Join(dir, "dealwire.yaml")
	if err := os.WriteFile(cfgPath, []byte("sqlite:\n  fx: "+fxPath+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return cfgPath
}
