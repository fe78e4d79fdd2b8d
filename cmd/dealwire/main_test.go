package main

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestHelpOnEveryCommand(t *testing.T) {
	for name, c := range commands() {
		t.Run(name, func(t *testing.T) {
			var out bytes.Buffer
			e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &out}
			err := dispatch(t.Context(), e, []string{name, "--help"})
			if !errors.Is(err, flag.ErrHelp) && err != nil {
				t.Fatalf("dealwire %s --help: %v", name, err)
			}
			if !strings.Contains(out.String(), "dealwire "+name) {
				t.Errorf("dealwire %s --help printed %q, want it to name the command", name, out.String())
			}
			_ = c
		})
	}
}

func TestUnknownCommand(t *testing.T) {
	var out bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &out}
	if err := dispatch(t.Context(), e, []string{"frobnicate"}); !errors.Is(err, errUsage) {
		t.Fatalf("err = %v, want errUsage", err)
	}
	if !strings.Contains(out.String(), `unknown command "frobnicate"`) {
		t.Errorf("output %q does not name the unknown command", out.String())
	}
}

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
	c, err := loadConfig(path)
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
			_, err := loadConfig(path)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("loadConfig error = %v, want one naming %q", err, tt.want)
			}
		})
	}
}

func TestAddFeedsAllowsOnlyLocalHostsGiven(t *testing.T) {
	c := &config{}
	if err := addFeeds(c, []string{"http://127.0.0.1:8000/feed.xml", "https://news.example.com/rss"}, discardLogger()); err != nil {
		t.Fatal(err)
	}
	if len(c.Ingest.Feeds) != 2 {
		t.Fatalf("feeds = %+v", c.Ingest.Feeds)
	}
	if len(c.Ingest.AllowPrivate) != 1 || c.Ingest.AllowPrivate[0] != "127.0.0.1" {
		t.Errorf("AllowPrivate = %v, want only 127.0.0.1", c.Ingest.AllowPrivate)
	}
	if err := addFeeds(c, []string{"ftp://x/y"}, discardLogger()); err == nil {
		t.Error("addFeeds accepted an ftp URL")
	}
}

func TestExampleConfigLoads(t *testing.T) {
	t.Chdir("../..")
	c, err := loadConfig("configs/dealwire.yaml")
	if err != nil {
		t.Fatalf("configs/dealwire.yaml does not load: %v", err)
	}
	if len(c.Ingest.Feeds) == 0 {
		t.Error("configs/dealwire.yaml loads no feeds from its feeds_file")
	}
}

func TestWebSubPath(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://dealwire.example.com/websub", "/websub/"},
		{"https://dealwire.example.com/hooks/websub/", "/hooks/websub/"},
		{"https://dealwire.example.com", "/websub/"},
	}
	for _, tt := range tests {
		if got := websubPath(tt.in); got != tt.want {
			t.Errorf("websubPath(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDefaultFeedsAreEmbedded(t *testing.T) {
	t.Chdir(t.TempDir()) // the binary must find them from any directory
	fl, err := defaultFeeds()
	if err != nil {
		t.Fatal(err)
	}
	if len(fl) < 10 {
		t.Errorf("default feed list has %d feeds, want the shipped list", len(fl))
	}
	for _, f := range fl {
		if !strings.HasPrefix(f.URL, "https://") && !strings.HasPrefix(f.URL, "http://") {
			t.Errorf("feed %q has no http(s) url", f.URL)
		}
	}
}

func TestFlagsOverrideEnvironment(t *testing.T) {
	t.Setenv("DEALWIRE_DATA_DIR", "/from/env")
	t.Setenv("DEALWIRE_HTTP_ADDR", "127.0.0.1:1111")
	dir := t.TempDir()
	c, err := loadConfig("", dataDirFlag(dir), httpAddrFlag("127.0.0.1:2222"))
	if err != nil {
		t.Fatal(err)
	}
	if c.DataDir != dir || c.HTTP.Addr != "127.0.0.1:2222" {
		t.Errorf("flags did not win: data_dir %q, http.addr %q", c.DataDir, c.HTTP.Addr)
	}
	if want := filepath.Join(dir, "nats"); c.NATS.Embedded.StoreDir != want {
		t.Errorf("store dir %q not derived from the flag's data dir %q", c.NATS.Embedded.StoreDir, want)
	}
	c, err = loadConfig("", dataDirFlag(""), httpAddrFlag(""))
	if err != nil || c.DataDir != "/from/env" || c.HTTP.Addr != "127.0.0.1:1111" {
		t.Errorf("empty flags changed the environment's values: %+v, %v", c, err)
	}
}
