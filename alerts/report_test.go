package alerts

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dealwire/dealwire/index/indextest"
	"github.com/dealwire/dealwire/index/sqlite"
)

func TestDescribe(t *testing.T) {
	tests := []struct {
		name string
		rc   RuleConfig
		want string
	}{
		{"none", RuleConfig{Name: "all"}, "every deal"},
		{"conditions", RuleConfig{Name: "big", Query: "robots -drones", AmountMin: "20m", ValuationMin: "1bn", ValuationCurrency: "EUR",
			CapacityMin: "500MW", LeadInvestors: []string{"Sequoia", "Accel"}, Rounds: []string{"seed"}, MinConfidence: 0.5},
			`query "robots -drones", amount >= 20m USD, valuation >= 1bn EUR, capacity >= 500MW, lead investor in [Sequoia, Accel], round in [seed], confidence >= 0.5`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Compile(tt.rc, nil)
			if err != nil {
				t.Fatal(err)
			}
			if got := Describe(r); got != tt.want {
				t.Errorf("Describe:\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestCompileRuleNamesTheRules(t *testing.T) {
	if _, err := (Config{}).CompileRule("big", nil); err == nil || !strings.Contains(err.Error(), "the configuration has no alert rules") {
		t.Errorf("no rules: %v", err)
	}
	c := Config{Rules: []RuleConfig{{Name: "a"}, {Name: "b", AmountMin: "lots"}}}
	if _, err := c.CompileRule("big", nil); err == nil || !strings.Contains(err.Error(), "(rules: a, b)") {
		t.Errorf("unknown rule: %v, want the rules listed", err)
	}
	if _, err := c.CompileRule("b", nil); err == nil || !strings.Contains(err.Error(), "alert rule b:") {
		t.Errorf("rule with a bad amount: %v, want an error naming the rule", err)
	}
	if r, err := c.CompileRule("a", nil); err != nil || r.Name() != "a" {
		t.Errorf("rule a: %v, %v", r, err)
	}
}

func TestWriteList(t *testing.T) {
	cfg := Config{Rules: []RuleConfig{{Name: "big", AmountMin: "20m", Sinks: []SinkConfig{{Name: "hook"}, {Name: "feed"}}}}}
	at := time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC)
	last := []LastSent{
		{Rule: "big", Sink: "hook", AlertID: "big/d1/1", Kind: KindNew, Summary: "Acme raises", At: at, Sent: 3,
			Error: "posting: 500\nbody", ErrorAt: at},
		{Rule: "big", Sink: "feed"},
	}
	var b bytes.Buffer
	if err := writeList(&b, last, cfg, nil, false); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "RULE") {
		t.Fatalf("list:\n%s\nwant a header, two sinks and a rule line", out)
	}
	if !strings.Contains(lines[1], "new: Acme raises") || !strings.HasSuffix(lines[1], "posting: 500") || !strings.Contains(lines[1], " 3 ") {
		t.Errorf("hook line %q: want the count, the last alert and the first line of the failure", lines[1])
	}
	if f := strings.Fields(lines[2]); len(f) != 6 || f[2] != "0" || f[3] != "-" || f[5] != "-" {
		t.Errorf("feed line %q: want nothing sent, dashes", lines[2])
	}
	if lines[3] != "rule big: amount >= 20m USD" {
		t.Errorf("rule line %q", lines[3])
	}

	b.Reset()
	if err := writeList(&b, last, cfg, nil, true); err != nil {
		t.Fatal(err)
	}
	var got LastSent
	if err := json.Unmarshal([]byte(strings.SplitN(b.String(), "\n", 2)[0]), &got); err != nil {
		t.Fatal(err)
	}
	if got.Sink != "hook" || got.Sent != 3 || got.Error != last[0].Error {
		t.Errorf("json %+v, want the first sink whole", got)
	}
}

// TestDryRun runs a rule over the deals of the conformance suite in a real
// SQLite deal index.
func TestDryRun(t *testing.T) {
	s, err := sqlite.Open(t.Context(), sqlite.Config{Path: filepath.Join(t.TempDir(), "deals.db")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	deals := indextest.DealRecords()
	for i, err := range s.IndexDeals(t.Context(), deals) {
		if err != nil {
			t.Fatalf("indexing %s: %v", deals[i].ID, err)
		}
	}
	r, err := Compile(RuleConfig{Name: "all", Sinks: []SinkConfig{{Name: "hook"}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := DryRun(t.Context(), &b, s, r, DryRunOptions{Limit: 2}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if want := "rule all (query \"\") matches 5 of 5 indexed deals; 2 shown\n"; !strings.HasSuffix(out, want) {
		t.Errorf("dry run ends:\n%s\nwant %q", out, want)
	}
	if n := strings.Count(out, "\n  to hook; deal "); n != 2 {
		t.Errorf("%d alerts printed, want 2:\n%s", n, out)
	}

	b.Reset()
	since := time.Date(2024, 2, 15, 0, 0, 0, 0, time.UTC)
	if err := DryRun(t.Context(), &b, s, r, DryRunOptions{Since: since, JSON: true}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("json since %s: %d lines, want the 3 deals announced since:\n%s", since.Format("2006-01-02"), len(lines), b.String())
	}
	for _, l := range lines {
		var a Alert
		if err := json.Unmarshal([]byte(l), &a); err != nil {
			t.Fatal(err)
		}
		if a.Rule != "all" || a.Kind != KindNew || a.Version != 1 || a.Deal.AnnouncedAt.Before(since) || a.ID != "all/"+a.Deal.ID+"/1" {
			t.Errorf("alert %+v", a)
		}
	}
}
