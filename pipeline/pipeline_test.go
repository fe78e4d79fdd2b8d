package pipeline

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.uber.org/goleak"

	"github.com/dealwire/dealwire/alerts"
	"github.com/dealwire/dealwire/config"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// testConfig is the configuration of no file, with its data under a temp
// dir and the embedded server on a free port.
func testConfig(t *testing.T) *config.Config {
	t.Helper()
	t.Setenv("DEALWIRE_CONFIG", "")
	t.Setenv("DEALWIRE_NATS_URL", "")
	os.Unsetenv("DEALWIRE_NATS_URL")
	t.Setenv("DEALWIRE_ES_URLS", "")
	os.Unsetenv("DEALWIRE_ES_URLS")
	cfg, err := config.Load("", config.DataDir(t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	cfg.NATS.Embedded.Port = -1
	cfg.Obs.Addr = "off"
	return cfg
}

// TestStagesNeedNATSURL: a single stage shares the streams of the other
// processes, so it refuses to start without nats.url instead of embedding
// a server of its own.
func TestStagesNeedNATSURL(t *testing.T) {
	cfg := testConfig(t)
	cfg.Alerts.Rules = []alerts.RuleConfig{{Name: "all", Sinks: []alerts.SinkConfig{{Name: "log", Type: alerts.SinkLog}}}}
	for name, run := range map[string]func() error{
		"fetch":   func() error { return Fetch(t.Context(), cfg, nil, true) },
		"extract": func() error { return Extract(t.Context(), cfg) },
		"index":   func() error { return Index(t.Context(), cfg) },
		"alerts":  func() error { return Alerts(t.Context(), cfg) },
	} {
		if err := run(); err == nil || !strings.Contains(err.Error(), "nats.url is not set") {
			t.Errorf("%s without nats.url: %v, want an error naming nats.url", name, err)
		}
	}
	if _, err := os.Stat(cfg.SQLite.Path); err == nil {
		t.Error("the index stage opened the store before it had a connection")
	}
	cfg.Alerts.Rules = nil
	if err := Alerts(t.Context(), cfg); err == nil || !strings.Contains(err.Error(), "no alert rules") {
		t.Errorf("alerts without rules: %v", err)
	}
}

// TestReindex rebuilds the SQLite index from the streams of the embedded
// server (empty: nothing to replay) and refuses to copy an old index,
// which only Elasticsearch keeps.
func TestReindex(t *testing.T) {
	cfg := testConfig(t)
	var out bytes.Buffer
	if err := Reindex(t.Context(), cfg, &out, false, 100); err != nil {
		t.Fatal(err)
	}
	if out.String() != "reindexed 0 records and 0 deals from the stream\n" {
		t.Errorf("reindex printed %q", out.String())
	}
	if _, err := os.Stat(filepath.Join(cfg.DataDir, "dealwire.db")); err != nil {
		t.Errorf("no SQLite index under the data dir: %v", err)
	}
	if _, err := os.Stat(filepath.Join(cfg.DataDir, "nats")); err != nil {
		t.Errorf("no embedded NATS store under the data dir: %v", err)
	}
	err := Reindex(t.Context(), cfg, &out, true, 100)
	if err == nil || !strings.Contains(err.Error(), "only Elasticsearch keeps an old index") {
		t.Errorf("reindex from the SQLite index: %v", err)
	}
}
