package extract

import (
	"strings"
	"testing"
	"time"
)

// TestLinearTime runs pathological inputs at two sizes and fails when the
// time grows much faster than the size.
func TestLinearTime(t *testing.T) {
	if testing.Short() {
		t.Skip("timing test")
	}
	units := map[string]string{
		"sentences":   "Acme raised $1 million in a Series A led by Accel, valuing it at $5 million. ",
		"one clause":  "$1m raised $2m led by Accel and Index and ",
		"amounts":     "$1m ",
		"names":       "led by Accel, ",
		"newlines":    "Acme raises $5M\n",
		"capitalized": "Acme Bolt Corp ",
		"valuations":  "The company is valued at $3 billion. ",
		"powers":      "to build 5 MW ",
	}
	for name, unit := range units {
		t.Run(name, func(t *testing.T) {
			small := strings.Repeat(unit, 1000)
			big := strings.Repeat(unit, 8000)
			ts := timeExtract(small)
			tb := timeExtract(big)
			t.Logf("%s: %d bytes %v, %d bytes %v", name, len(small), ts, len(big), tb)
			// 8x the input costs ~8x when linear and ~64x when quadratic;
			// the bound leaves room for a noisy machine.
			if tb > 24*ts && tb > 300*time.Millisecond {
				t.Errorf("%s: time grows super-linearly: %v for %d bytes, %v for %d bytes", name, ts, len(small), tb, len(big))
			}
		})
	}
}

func timeExtract(s string) time.Duration {
	best := time.Duration(1 << 62)
	for k := 0; k < 3; k++ {
		start := time.Now()
		Extract(s)
		if d := time.Since(start); d < best {
			best = d
		}
	}
	return best
}
