package config

import (
	"os"
	"strings"
	"testing"
)

// clearDealwireEnv unsets every DEALWIRE_* variable for the test (they are
// restored after it), so that a developer's or CI's settings do not leak in.
func clearDealwireEnv(t *testing.T) {
	t.Helper()
	for _, kv := range os.Environ() {
		if name, _, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "DEALWIRE_") {
			t.Setenv(name, "")
			os.Unsetenv(name)
		}
	}
}
