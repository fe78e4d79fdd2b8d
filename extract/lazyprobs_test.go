package extract

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// eagerNameProbs works out the name model's probabilities of every name
// key of a at once, as scoreNames did before nameProbs: all features by
// nameKeys, then the lists mixed by smoothLists. d.amts must hold the
// figures' roles as the rules left them.
func eagerNameProbs(d *doc, m *Model, a *analysis) map[string][]float64 {
	lin := m.tasks[taskName]
	f := featSet{pre: &d.sc.tmpl}
	a.names = d.nameCands(a)
	a.keys = d.nameKeys(a, &f)
	probs := map[string][]float64{}
	for i := range a.keys {
		probs[a.keys[i].key] = lin.probsV(a.keys[i].feats, a.keys[i].vals, nil)
	}
	smoothLists(d, a, probs)
	return probs
}

// smoothLists pulls the probabilities of the names of one written list
// towards the list's mean. A list is a run of names joined by commas and
// a final conjunction within a sentence ("A, B and C"), or of three or
// more names joined by commas alone (a newsletter's "A, B, C"); each of its
// members is the longest of the candidate names nested in it. A name
// written in several lists keeps the mean of its mixes, lifted by the
// lists descriptors join (mixLists). This is how the
// probabilities were mixed before nameProbs mixed them key by key on
// first use; the test holds the two equal.
func smoothLists(d *doc, a *analysis, keyProb map[string][]float64) {
	groups, joined := d.writtenLists(a, nil)
	in := map[string][]int32{}
	for g, keys := range groups {
		if len(keys) < 2 {
			continue
		}
		for _, k := range keys {
			in[k] = append(in[k], int32(g))
		}
	}
	mean := func(g int) []float64 {
		keys := groups[g]
		if joined[g] {
			var best []float64
			for _, k := range keys {
				if p := keyProb[k]; best == nil || p[nmInvestor]+p[nmLead] > best[nmInvestor]+best[nmLead] {
					best = p
				}
			}
			return best
		}
		m := make([]float64, len(keyProb[keys[0]]))
		for _, k := range keys {
			for c, p := range keyProb[k] {
				m[c] += p / float64(len(keys))
			}
		}
		return m
	}
	mixed := map[string][]float64{}
	for k, gs := range in {
		mixed[k] = mixLists(keyProb[k], gs, mean, joined)
	}
	for k, p := range mixed {
		keyProb[k] = p
	}
}

// TestLazyNameProbs checks that the probabilities nameProbs works out when
// a decision first asks, after the decisions before it changed the
// figures' roles, equal to the bit those worked out for every key at once
// before any decision, on every key of the project's own articles and
// labelled sentences.
func TestLazyNameProbs(t *testing.T) {
	v, m := loadVocab(), DefaultModel()
	keys, mixed := 0, 0
	for _, text := range ownTexts(t) {
		d := newDoc(text, v)
		if len(d.toks) == 0 {
			d.release()
			continue
		}
		a := d.analyse()
		d.decide(m, a)
		got := map[string][]float64{}
		for x := range a.keys {
			got[a.keys[x].key] = append([]float64(nil), a.probAt(x)...)
			if a.lazy.inOff[x+1] > a.lazy.inOff[x] {
				mixed++
			}
		}
		if p := a.prob("no such name at all"); p != nil {
			t.Errorf("prob of a key no name has = %v, want nil", p)
		}
		d.release()

		d = newDoc(text, v)
		a = d.analyse()
		d.amts = a.amts
		want := eagerNameProbs(d, m, a)
		d.release()
		if len(got) != len(want) {
			t.Errorf("%d keys worked out on first use, %d at once in %.60q", len(got), len(want), text)
		}
		for k, w := range want {
			g := got[k]
			if len(g) != len(w) {
				t.Errorf("key %q: %v on first use, %v at once", k, g, w)
				continue
			}
			for c := range w {
				if math.Float64bits(g[c]) != math.Float64bits(w[c]) {
					t.Errorf("key %q class %d: %v on first use, %v at once", k, c, g[c], w[c])
				}
			}
			keys++
		}
	}
	if keys < 1000 || mixed < 50 {
		t.Fatalf("compared %d keys, %d of them in lists; want at least 1000 and 50", keys, mixed)
	}
}

// TestSortHashes checks sortHashes against slices.Sort on lists of every
// length up to 300 and some longer, of random hashes, of hashes repeated
// as a name's features repeat, of hashes that share their top bits (one
// bucket for all) and of sorted and reversed lists.
func TestSortHashes(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var tmp []uint64
	var cnt []int32
	check := func(what string, hs []uint64) {
		t.Helper()
		want := slices.Clone(hs)
		slices.Sort(want)
		tmp, cnt = sortHashes(hs, tmp, cnt)
		if !slices.Equal(hs, want) {
			t.Fatalf("%s, %d hashes: sortHashes differs from slices.Sort", what, len(hs))
		}
	}
	for _, n := range append(rangeTo(300), 1000, 4096, 5000) {
		hs := make([]uint64, n)
		for i := range hs {
			hs[i] = rng.Uint64()
		}
		check("random", slices.Clone(hs))
		rep := slices.Clone(hs)
		for i := range rep {
			rep[i] = hs[rng.IntN(max(1, n/3))]
		}
		check("repeated", rep)
		low := slices.Clone(hs)
		for i := range low {
			low[i] = 0xabc<<52 | low[i]>>40
		}
		check("shared top bits", low)
		slices.Sort(hs)
		check("sorted", slices.Clone(hs))
		slices.Reverse(hs)
		check("reversed", hs)
	}
}

func rangeTo(n int) []int {
	s := make([]int, n+1)
	for i := range s {
		s[i] = i
	}
	return s
}
