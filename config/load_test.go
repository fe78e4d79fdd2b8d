package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dealwire/dealwire/config/configtest"
)

func TestLoadConfig(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "dealwire.yaml")
	yaml := "data_dir: " + dir + "\nlog_level: debug\nnats:\n  url: nats://example:4222\nhttp:\n  addr: 127.0.0.1:9999\n"
	if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("DEALWIRE_ES_URLS", "http://a:9200, http://b:9200")
	t.Setenv("DEALWIRE_ES_USERNAME", "dealwire")
	t.Setenv("DEALWIRE_ES_PASSWORD", "from-env")
	c, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if c.NATS.URL != "nats://example:4222" || c.HTTP.Addr != "127.0.0.1:9999" || c.LogLevel != "debug" {
		t.Errorf("file values not applied: %+v", c)
	}
	if len(c.Elasticsearch.URLs) != 2 || c.Elasticsearch.URLs[1] != "http://b:9200" || c.Elasticsearch.Password != "from-env" {
		t.Errorf("environment overrides not applied: %+v", c.Elasticsearch)
	}
	if c.SQLite.Path != filepath.Join(dir, "dealwire.db") {
		t.Errorf("sqlite path default = %q", c.SQLite.Path)
	}
}

func TestLoadConfigRejects(t *testing.T) {
	tests := []struct{ name, yaml, want string }{
		{"unknown field", "colour: blue\n", "colour"},
		{"bad log level", "log_level: loud\n", "log_level"},
		{"bad replicas", "nats:\n  replicas: 9\n", "replicas"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "c.yaml")
			if err := os.WriteFile(path, []byte(tt.yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := Load(path)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Load error = %v, want one naming %q", err, tt.want)
			}
		})
	}
}

func TestExampleConfigLoads(t *testing.T) {
	t.Chdir("..")
	c, err := Load("configs/dealwire.yaml")
	if err != nil {
		t.Fatalf("configs/dealwire.yaml does not load: %v", err)
	}
	if len(c.Ingest.Feeds) == 0 {
		t.Error("configs/dealwire.yaml loads no feeds from its feeds_file")
	}
}

func TestFlagsOverrideEnvironment(t *testing.T) {
	t.Setenv("DEALWIRE_DATA_DIR", "/from/env")
	t.Setenv("DEALWIRE_HTTP_ADDR", "127.0.0.1:1111")
	dir := t.TempDir()
	c, err := Load("", DataDir(dir), HTTPAddr("127.0.0.1:2222"))
	if err != nil {
		t.Fatal(err)
	}
	if c.DataDir != dir || c.HTTP.Addr != "127.0.0.1:2222" {
		t.Errorf("flags did not win: data_dir %q, http.addr %q", c.DataDir, c.HTTP.Addr)
	}
	if want := filepath.Join(dir, "nats"); c.NATS.Embedded.StoreDir != want {
		t.Errorf("store dir %q not derived from the flag's data dir %q", c.NATS.Embedded.StoreDir, want)
	}
	c, err = Load("", DataDir(""), HTTPAddr(""))
	if err != nil || c.DataDir != "/from/env" || c.HTTP.Addr != "127.0.0.1:1111" {
		t.Errorf("empty flags changed the environment's values: %+v, %v", c, err)
	}
}

// TestNATSURLBeforeValidation checks that a --nats URL counts when the
// credentials are validated: a token needs a server URL.
func TestNATSURLBeforeValidation(t *testing.T) {
	configtest.ClearEnv(t)
	t.Setenv("DEALWIRE_NATS_TOKEN", "t")
	if _, err := Load("", DataDir(t.TempDir())); err == nil || !strings.Contains(err.Error(), "nats.url is empty") {
		t.Fatalf("a token without a URL: %v, want the error naming nats.url", err)
	}
	c, err := Load("", DataDir(t.TempDir()), NATSURL("nats://n:4222"))
	if err != nil {
		t.Fatal(err)
	}
	if c.NATS.URL != "nats://n:4222" {
		t.Errorf("nats.url %q, want the option's", c.NATS.URL)
	}
	if c, err = Load("", DataDir(t.TempDir()), NATSURL("")); err == nil || c != nil {
		t.Errorf("an empty option changed nats.url: %v", err)
	}
}
