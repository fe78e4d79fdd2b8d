package dedup

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"sync"
	"testing"

	"go.uber.org/goleak"

	"github.com/dealwire/dealwire/bus/bustest"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

func readText(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestDistance(t *testing.T) {
	tests := []struct {
		name string
		a, b uint64
		want int
	}{
		{"equal", 0xdeadbeef, 0xdeadbeef, 0},
		{"one bit", 0, 1 << 63, 1},
		{"all bits", 0, ^uint64(0), 64},
		{"low byte", 0xff00, 0xffff, 8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Distance(tt.a, tt.b); got != tt.want {
				t.Errorf("Distance(%#x, %#x) = %d, want %d", tt.a, tt.b, got, tt.want)
			}
		})
	}
}

func TestFingerprintDistance(t *testing.T) {
	acme, helio := readText(t, "acme.txt"), readText(t, "heliogrid.txt")
	tests := []struct {
		name     string
		a, b     string
		min, max int
	}{
		{"identical", acme, acme, 0, 0},
		{"case, punctuation and spacing", acme, strings.ToUpper(strings.NewReplacer(",", "", "\n\n", "\n   ", "\"", "'").Replace(acme)), 0, 0},
		{"new title line", acme, "Acme Robotics lands $40M from Accel to automate forklifts\n\n" + acme, 0, 8},
		{"one word changed", acme, strings.Replace(acme, "on Tuesday", "on Wednesday", 1), 0, 8},
		{"figure corrected", acme, strings.Replace(acme, "140 warehouses", "160 warehouses", 1), 0, 8},
		{"paragraph edited", acme, strings.Replace(acme, "Accel partner Priya Nair will join the board.", "Priya Nair, a partner at Accel, joins the board as part of the deal.", 1), 0, 8},
		{"last paragraph dropped", acme, acme[:strings.LastIndex(acme, "\n\nThe round brings")], 0, 12},
		{"different article", acme, helio, 20, 64},
		{"other article, same deal shape", helio, strings.NewReplacer("HelioGrid", "SolaraPark", "Madrid", "Lisbon", "Spain", "Portugal").Replace(helio), 8, 64},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Distance(Fingerprint(tt.a), Fingerprint(tt.b))
			if d < tt.min || d > tt.max {
				t.Errorf("distance = %d, want %d..%d", d, tt.min, tt.max)
			}
		})
	}
	if got := Fingerprint(" ,. "); got != 0 {
		t.Errorf("Fingerprint of no words = %#x, want 0", got)
	}
	if Fingerprint("one") == 0 || Fingerprint("one") == Fingerprint("two") {
		t.Error("a one-word text must get its own non-zero fingerprint")
	}
}

func TestBandKeysCoverAllBits(t *testing.T) {
	x := &Index{cfg: Config{Bands: 6}.withDefaults()}
	// Flipping any single bit must change exactly one band key.
	for bit := range 64 {
		changed := 0
		for i := range x.cfg.Bands {
			if x.bandKey(i, 0) != x.bandKey(i, 1<<bit) {
				changed++
			}
		}
		if changed != 1 {
			t.Errorf("bit %d changes %d band keys, want 1", bit, changed)
		}
	}
}

func TestCanonical(t *testing.T) {
	// Two replicas, each on its own connection, see the same index.
	xs := replicas(t, 2)
	x1, x2 := xs[0], xs[1]
	ctx := t.Context()
	acme, helio := readText(t, "acme.txt"), readText(t, "heliogrid.txt")
	republished := "Acme Robotics raises $40 million to turn forklifts into robots\n\n" +
		strings.Replace(acme, "Accel partner Priya Nair will join the board.", "Priya Nair, a partner at Accel, joins the board.", 1)
	edited := strings.Replace(acme, "140 warehouses", "160 warehouses", 1)
	steps := []struct {
		name, id, text string
		x              *Index
		want           string
	}{
		{"first article registers", "orig", acme, x1, "orig"},
		{"asked again", "orig", acme, x2, "orig"},
		{"republished with new url, title and paragraph", "repub", republished, x2, "orig"},
		{"different article", "helio", helio, x1, "helio"},
		{"original edited keeps its id", "orig", edited, x1, "orig"},
		{"republication of the edit", "repub2", "Breaking: " + edited, x2, "orig"},
		{"republication of the republication", "repub3", republished + "\n\nUpdated at 10:40.", x1, "orig"},
		{"different article republished", "helio2", strings.Replace(helio, "on Monday", "on Tuesday", 1), x2, "helio"},
	}
	for _, s := range steps {
		got, err := s.x.Canonical(ctx, s.id, Fingerprint(s.text))
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if got != s.want {
			t.Errorf("%s: Canonical(%s) = %q, want %q", s.name, s.id, got, s.want)
		}
	}
	if _, err := x1.Canonical(ctx, "", 1); err == nil {
		t.Error("empty article id: got no error")
	}
}

func TestFingerprintFormat(t *testing.T) {
	for _, fp := range []uint64{0, 1, 0xdeadbeefcafef00d, ^uint64(0)} {
		s := FormatFingerprint(fp)
		back, err := ParseFingerprint(s)
		if err != nil || back != fp || len(s) != 16 {
			t.Errorf("FormatFingerprint(%#x) = %q, parsed back %#x, %v", fp, s, back, err)
		}
	}
	for _, bad := range []string{"", "123", "zzzzzzzzzzzzzzzz", "00000000000000000"} {
		if _, err := ParseFingerprint(bad); err == nil {
			t.Errorf("ParseFingerprint(%q): got no error", bad)
		}
	}
}

// TestCanonicalConcurrent registers pairs of identical texts from two
// replicas at the same instant: both must name the same canonical id.
func TestCanonicalConcurrent(t *testing.T) {
	xs := replicas(t, 2)
	words := strings.Fields(readText(t, "acme.txt") + readText(t, "heliogrid.txt"))
	rng := rand.New(rand.NewPCG(3, 4))
	const pairs = 30
	both := 0
	for p := range pairs {
		// Each pair gets its own text: 200 words drawn from the test articles.
		var text strings.Builder
		for range 200 {
			text.WriteString(words[rng.IntN(len(words))] + " ")
		}
		fp := Fingerprint(text.String())
		var got [2]string
		var errs [2]error
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i, x := range xs {
			wg.Go(func() {
				<-start
				got[i], errs[i] = x.Canonical(t.Context(), fmt.Sprintf("p%d-%d", p, i), fp)
			})
		}
		close(start)
		wg.Wait()
		if errs[0] != nil || errs[1] != nil {
			t.Fatal(errs)
		}
		ids := [2]string{fmt.Sprintf("p%d-0", p), fmt.Sprintf("p%d-1", p)}
		switch {
		case got[0] == ids[0] && got[1] == ids[1]:
			both++
		case got[0] == got[1] && (got[0] == ids[0] || got[0] == ids[1]):
		default:
			t.Errorf("pair %d: canonicals %v for %v contradict", p, got, ids)
		}
	}
	if both > 0 {
		t.Errorf("%d of %d simultaneous identical pairs both stayed canonical", both, pairs)
	}
}

// TestRegisterStaleRead registers articles against band values read before
// another replica wrote the same bands: the first compare-and-set of each
// band conflicts, and the retry keeps both articles in append order.
func TestRegisterStaleRead(t *testing.T) {
	xs := replicas(t, 2)
	ctx := t.Context()
	const fp = 0x0123456789abcdef
	mem := func(id string) member { return member{ID: id, FP: fp, Canonical: id, Seq: 1} }
	// Round 1 conflicts with creating the band keys, round 2 with updating them.
	var want []string
	for _, ids := range [][2]string{{"a", "b"}, {"c", "d"}} {
		stale, err := xs[0].readBands(ctx, fp)
		if err != nil {
			t.Fatal(err)
		}
		if err := xs[1].register(ctx, mem(ids[1]), nil); err != nil {
			t.Fatal(err)
		}
		if err := xs[0].register(ctx, mem(ids[0]), stale); err != nil {
			t.Fatalf("registering %s against a stale read: %v", ids[0], err)
		}
		want = append(want, ids[1], ids[0])
	}
	bands, err := xs[1].readBands(ctx, fp)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range bands {
		var got []string
		for _, m := range b.b.Members {
			got = append(got, m.ID)
		}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("band %s holds %v, want %v", b.key, got, want)
		}
		if b.rev == 0 {
			t.Errorf("band %s has no revision", b.key)
		}
	}
}

// replicas opens n indexes of one bucket on a new in-process server, each
// on its own connection, as n extract replicas do.
func replicas(tb testing.TB, n int) []*Index {
	tb.Helper()
	srv := bustest.NewServer(tb)
	xs := make([]*Index, n)
	for i := range xs {
		_, js := bustest.Connect(tb, srv)
		x, err := NewIndex(tb.Context(), js, Config{}, nil)
		if err != nil {
			tb.Fatal(err)
		}
		xs[i] = x
	}
	return xs
}
