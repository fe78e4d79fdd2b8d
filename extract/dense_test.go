package extract

import (
	"encoding/json"
	"runtime"
	"strings"
	"testing"
)

// TestDenseFiguresBounded feeds 10 MB of figures: the extraction reads at
// most maxFigures of them, so its JSON fits a NATS message beside the
// text, and its allocations stay bounded.
func TestDenseFiguresBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("10 MB of figures")
	}
	for name, unit := range map[string]string{
		"amounts":        "$1 ",
		"mixed":          "$1,000,000.5 € 3bn ",
		"currency signs": "$€£¥ ",
	} {
		t.Run(name, func(t *testing.T) {
			text := strings.Repeat(unit, 10<<20/len(unit))
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			x, err := ExtractChecked(text)
			runtime.ReadMemStats(&after)
			if err != nil {
				t.Fatal(err)
			}
			b, err := json.Marshal(x)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%d deals, %d doubtful, %d prior, %d other amounts: %d bytes of JSON, %d MiB allocated",
				len(x.Deals), len(x.Doubtful), len(x.PriorAmounts), len(x.OtherAmounts), len(b), (after.TotalAlloc-before.TotalAlloc)>>20)
			for _, dl := range append(x.Deals, x.Doubtful...) {
				if len(dl.Evidence) > maxEvidence || text[dl.EvidenceSpan.Start:dl.EvidenceSpan.End] != dl.Evidence {
					t.Errorf("evidence of %d bytes at %v, want at most %d bytes equal to its span", len(dl.Evidence), dl.EvidenceSpan, maxEvidence)
				}
			}
			// A record must fit one NATS message (1 MiB by default) with its text.
			if len(b) > 768<<10 {
				t.Errorf("the extraction is %d KiB of JSON, want under 768 KiB", len(b)>>10)
			}
			if got := after.TotalAlloc - before.TotalAlloc; got > 2<<30 {
				t.Errorf("allocated %d MiB for 10 MB of text, want under 2 GiB", got>>20)
			}
		})
	}
}
