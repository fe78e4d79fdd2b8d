package deals

import (
	"fmt"
	"testing"
	"time"

	"github.com/dealwire/dealwire/company"
	"github.com/dealwire/dealwire/news"
)

// FuzzBucketKey checks that any company name gives words without separators
// and, when it has words, a valid key-value key.
func FuzzBucketKey(f *testing.F) {
	for _, s := range []string{"Acme Robotics, Inc.", "HelioGrid S.A.", "The The", "Société Générale", "東京エレクトロン", "a.b.c", "", "&&&"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		tokens := company.Tokens(name)
		for _, w := range tokens {
			if w == "" {
				t.Fatalf("empty word in %q", tokens)
			}
		}
		if len(tokens) == 0 {
			return
		}
		key := bucketKey(tokens[0])
		for i := 0; i < len(key); i++ {
			c := key[i]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.') {
				t.Fatalf("bucketKey(%q) = %q: invalid byte %q", tokens[0], key, c)
			}
		}
	})
}

// BenchmarkResolve measures one recomputation of a busy company entry:
// 500 reports of 100 deals.
func BenchmarkResolve(b *testing.B) {
	r := &Resolver{cfg: Config{}.withDefaults()}
	var cs []contribution
	for i := range 500 {
		d := deal(fmt.Sprintf("Acme %d", i%100), "series b", money(int64(1+i%100)*1_000_000, "USD"), "Accel", "Sequoia")
		rec := report{fmt.Sprintf("r%03d", i), "techcrunch", t0.Add(time.Duration(i) * time.Hour), []news.Deal{d}}.record()
		m, err := r.contributions(rec)
		if err != nil {
			b.Fatal(err)
		}
		cs = append(cs, m["co.acme"]...)
	}
	b.ReportAllocs()
	for b.Loop() {
		resolve(cs, r.rules())
	}
}
