package extract

import (
	"runtime"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/dealwire/dealwire/news"
)

// TestLinearTime runs pathological inputs at two sizes and fails when the
// work grows much faster than the size. Work is the CPU time of the
// test's own OS thread (Extract runs on one goroutine, locked to it), not
// wall-clock time, so a busy machine does not change the verdict.
func TestLinearTime(t *testing.T) {
	if testing.Short() {
		t.Skip("runs each input at eight times its size")
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
		"bare scales": "und 82 Millionen für ",
		"context":     "35 Millionen Euro und 82 Millionen für ",
		"linked":      "5 millions d’euros et 2 millions d’habitants ",
	}
	for name, unit := range units {
		t.Run(name, func(t *testing.T) {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			small := strings.Repeat(unit, 1000)
			big := strings.Repeat(unit, 8000)
			ts := cpuExtract(t, small)
			tb := cpuExtract(t, big)
			t.Logf("%s: %d bytes %v, %d bytes %v", name, len(small), ts, len(big), tb)
			// 8x the input costs ~8x when linear and ~64x when quadratic;
			// the bound leaves room for caches and the collector.
			if tb > 24*ts && tb > 300*time.Millisecond {
				t.Errorf("%s: CPU time grows super-linearly: %v for %d bytes, %v for %d bytes", name, ts, len(small), tb, len(big))
			}
		})
	}
}

// cpuExtract is the least CPU time of the calling thread, over three
// runs, that Extract(s) takes.
func cpuExtract(t *testing.T, s string) time.Duration {
	best := time.Duration(1 << 62)
	for k := 0; k < 3; k++ {
		start := threadCPU(t)
		Extract(s)
		if d := threadCPU(t) - start; d < best {
			best = d
		}
	}
	return best
}

func threadCPU(t *testing.T) time.Duration {
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_THREAD, &ru); err != nil {
		t.Fatalf("reading the thread's CPU time: %v", err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// moneyOf reads text as exactly one amount, or fails.
func moneyOf(t *testing.T, text string) (value, currency string) {
	t.Helper()
	h, d, ok := firstMoney(t, text)
	if !ok {
		t.Errorf("no money in %q", text)
		return "", ""
	}
	m := d.toMoney(h)
	if m.Span.Start != 0 || m.Span.End != len(text) {
		t.Errorf("money in %q is %q, want all of it", text, m.Text)
	}
	return m.Value.String(), m.Currency
}

func pow10(n int32) string { return "1" + strings.Repeat("0", int(n)) }

// TestScaleWords reads every word of words/scale.tsv after a figure.
func TestScaleWords(t *testing.T) {
	v := loadVocab()
	check := func(w string, e scaleEntry) {
		text := "€3 " + w
		if e.glued {
			text = "€3" + w
		}
		want := "3" + pow10(e.exp)[1:]
		if got, _ := moneyOf(t, text); got != want {
			t.Errorf("%q = %s, want %s", text, got, want)
		}
		if e.abbr {
			if got, _ := moneyOf(t, text+"."); got != want {
				t.Errorf("%q = %s, want %s", text+".", got, want)
			}
		}
	}
	for w, e := range v.scale {
		check(w, e)
	}
	for w, e := range v.scaleExct {
		check(w, e)
	}
}

// TestCurrencyWords reads every marker of words/currency.tsv where it may
// stand, and every linking word of words/link.tsv.
func TestCurrencyWords(t *testing.T) {
	v := loadVocab()
	check := func(text, code, want string) {
		got, cur := moneyOf(t, text)
		if got != want || cur != code && !(code[0] == '?' && cur != "" && cur[0] != '?') {
			t.Errorf("%q = %s %s, want %s %s", text, got, cur, want, code)
		}
	}
	for w, e := range v.curWord {
		if e.exp != 0 {
			check("3 "+w, e.code, "3"+pow10(e.exp)[1:])
			continue
		}
		if e.pre {
			check(w+" 3 million", e.code, "3000000")
		}
		if e.post {
			check("3 million "+w, e.code, "3000000")
		}
	}
	// Phrases keep only their lower-cased words: rebuild the surface.
	for _, ps := range v.curPhrase {
		for _, p := range ps {
			w := strings.Join(p.words, " ")
			if p.class != "pre" {
				check("3 million "+w, p.value, "3000000")
			}
		}
	}
	for _, pre := range []string{"U.S.$", "US $", "USD $", "AUD $", "CAD $", "Rs.", "Rp."} {
		got, _ := moneyOf(t, pre+"3 million")
		if got != "3000000" {
			t.Errorf("%q = %s, want 3000000", pre+"3 million", got)
		}
	}
	for _, ps := range v.curLink {
		for _, p := range ps {
			l := strings.Join(p.words, "")
			if !strings.HasSuffix(l, "'") && !strings.HasSuffix(l, "’") {
				l += " "
			}
			check("3 millions "+l+"euros", "EUR", "3000000")
		}
	}
}

// TestNumberWords reads every word of words/numword.tsv before a scale.
func TestNumberWords(t *testing.T) {
	for w, n := range loadVocab().numWord {
		text := w + " million euros"
		want := news.Decimal{Coef: n, Exp: 6}
		if got, _ := moneyOf(t, text); got != normDec(want).String() {
			t.Errorf("%q = %s, want %s", text, got, normDec(want).String())
		}
	}
}
