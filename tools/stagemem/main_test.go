package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/dealwire/dealwire/bus"
	"github.com/dealwire/dealwire/config"
)

// Every run of the matrix writes a configuration that loads, and the
// setting it varies reaches the loaded configuration; the defaults' labels
// name the values the stages really default to.
func TestRunsConfigure(t *testing.T) {
	b := &bench{o: options{feeds: 2, items: 1}, site: &site{url: "http://127.0.0.1:1", feeds: 2, items: 1}}
	seen := map[string]bool{}
	for _, st := range runs() {
		dir := t.TempDir()
		path, err := b.writeConfig(dir, "nats://127.0.0.1:4222", st)
		if err != nil {
			t.Fatalf("%s %s: %v", st.stage, st.name, err)
		}
		c, err := config.Load(path)
		if err != nil {
			t.Fatalf("%s %s: the written configuration does not load: %v", st.stage, st.name, err)
		}
		got := map[string]int{
			"ingest.workers":       c.Ingest.Workers,
			"extract.workers":      c.Extract.Workers,
			"index.workers":        c.Index.Workers,
			"index.batch":          c.Index.Batch,
			"nats.max_ack_pending": c.NATS.MaxAckPending,
		}
		for k, v := range st.yaml {
			if fmt.Sprint(got[k]) != v {
				t.Errorf("%s %s: %s is %d after loading, want %s", st.stage, st.name, k, got[k], v)
			}
		}
		if strings.HasPrefix(st.name, "defaults") {
			if len(st.yaml) != 0 {
				t.Errorf("%s %s: the defaults' run sets %v", st.stage, st.name, st.yaml)
			}
			want := map[string]string{
				"fetch":   fmt.Sprintf("workers %d)", c.Ingest.Workers),
				"extract": fmt.Sprintf("workers %d, max_ack_pending %d)", c.Extract.Workers, bus.AckPending(c.NATS, bus.Stage{Workers: c.Extract.Workers})),
				"index": fmt.Sprintf("workers %d, batch %d, max_ack_pending %d)", c.Index.Workers, c.Index.Batch,
					bus.AckPending(c.NATS, bus.Stage{Workers: c.Index.Workers, Batch: c.Index.Batch})),
			}[st.stage]
			if !strings.HasSuffix(st.name, want) {
				t.Errorf("%s: label %q does not name the loaded defaults (%s)", st.stage, st.name, want)
			}
			seen[st.stage] = true
		}
	}
	for _, stage := range []string{"fetch", "extract", "index"} {
		if !seen[stage] {
			t.Errorf("no defaults run for %s", stage)
		}
	}
}
