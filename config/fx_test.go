package config

import (
	"testing"

	"github.com/dealwire/dealwire/config/configtest"
)

// TestFXTableIsTheConfiguredOne checks that the index backend's fx file is
// the process's table, loaded once.
func TestFXTableIsTheConfiguredOne(t *testing.T) {
	configtest.ClearEnv(t)
	dir := t.TempDir()
	cfgPath := configtest.FXConfig(t, dir)
	cfg, err := Load(cfgPath, DataDir(dir))
	if err != nil {
		t.Fatal(err)
	}
	t1, err := cfg.FXTable()
	if err != nil {
		t.Fatal(err)
	}
	if t2, _ := cfg.FXTable(); t1 != t2 {
		t.Fatal("FXTable loaded the table twice")
	}
	if usd, _ := t1.USD(1, "EUR"); usd != 2 {
		t.Fatalf("configured table: 1 EUR = %v USD, want 2", usd)
	}

	// Without a file of its own the process converts with the shipped table.
	def, err := Load("", DataDir(dir))
	if err != nil {
		t.Fatal(err)
	}
	shipped, err := def.FXTable()
	if err != nil {
		t.Fatal(err)
	}
	if usd, _ := shipped.USD(1, "EUR"); usd == 2 || usd <= 0 {
		t.Errorf("shipped table: 1 EUR = %v USD, want the shipped rate", usd)
	}
}
