package deals

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/dealwire/dealwire/news"
)

// labelled is one article of the resolution quality set: the deal it truly
// reports (truth) and what its outlet wrote.
type labelled struct {
	truth  string
	id     string
	source string
	day    int
	deal   news.Deal
}

func withUSD(m *news.Money, usd float64) *news.Money {
	m.USD = usd
	return m
}

func acquired(company, acquirer string) news.Deal {
	d := deal(company, "acquisition", nil)
	d.Acquirer = acquirer
	return d
}

// qualitySet is a hand-made set of 45 reports of 23 deals, with the traps
// deal resolution meets: name variants, unknown rounds, conflicting amounts,
// other currencies, two companies sharing a first word, the same company's
// other rounds, late coverage, and two unnamed raises close together.
var qualitySet = []labelled{
	// Acme Robotics Series B: five outlets, one conflicting amount, one without the round.
	{"acme-b", "acme-b-pr", "businesswire", 0, deal("Acme Robotics, Inc.", "Series B", money(40_000_000, "USD"), "Accel")},
	{"acme-b", "acme-b-tc", "techcrunch", 0, deal("Acme Robotics", "series b", money(40_000_000, "USD"), "Accel")},
	{"acme-b", "acme-b-vb", "venturebeat", 1, deal("Acme", "Series B", money(40_000_000, "USD"))},
	{"acme-b", "acme-b-si", "sifted", 1, deal("Acme Robotics", "Series B", money(45_000_000, "USD"), "Accel")},
	{"acme-b", "acme-b-nl", "newsletter", 3, deal("ACME Robotics", "unknown", money(40_000_000, "USD"))},
	// The same company's Series A seven months earlier.
	{"acme-a", "acme-a-tc", "techcrunch", -220, deal("Acme Robotics", "Series A", money(12_000_000, "USD"), "Sequoia")},
	{"acme-a", "acme-a-pr", "prnewswire", -220, deal("Acme Robotics Inc", "Series A+", money(12_000_000, "USD"), "Sequoia")},
	// Another company sharing the first word, same round, same week.
	{"acmefoods-b", "acmef-1", "fooddive", 5, deal("Acme Foods", "Series B", money(15_000_000, "USD"))},
	{"acmefoods-b", "acmef-2", "agfundernews", 6, deal("Acme Foods Co.", "series b", money(15_000_000, "USD"))},
	// Nimbus Labs seed, one report in euros without the round.
	{"nimbus-seed", "nim-1", "techcrunch", 10, deal("Nimbus", "seed", withUSD(money(5_000_000, "USD"), 5e6))},
	{"nimbus-seed", "nim-2", "sifted", 11, deal("Nimbus Labs", "Seed", withUSD(money(5_000_000, "USD"), 5e6))},
	{"nimbus-seed", "nim-3", "eu-startups", 12, deal("Nimbus Labs Ltd", "unknown", withUSD(money(4_600_000, "EUR"), 5e6))},
	// Its next seed-labelled raise two years later.
	{"nimbus-seed2", "nim-4", "techcrunch", 740, deal("Nimbus Labs", "seed", money(8_000_000, "USD"))},
	// HelioGrid debt; one outlet splits the name.
	{"helio-debt", "hel-1", "pv-magazine", 20, deal("HelioGrid", "debt", money(120_000_000, "EUR"), "Banco Santander")},
	{"helio-debt", "hel-2", "businesswire", 20, deal("HelioGrid S.A.", "debt", money(120_000_000, "EUR"), "ING")},
	{"helio-debt", "hel-3", "energy-storage-news", 22, deal("Helio Grid", "debt", money(120_000_000, "EUR"))},
	// Its Series C months later.
	{"helio-c", "hel-4", "pv-magazine", 300, deal("HelioGrid", "Series C", money(55_000_000, "EUR"))},
	// Mistral AI Series C, one report without the round.
	{"mistral-c", "mis-1", "reuters", 50, deal("Mistral AI", "Series C", money(600_000_000, "EUR"))},
	{"mistral-c", "mis-2", "sifted", 50, deal("Mistral", "series c", money(600_000_000, "EUR"))},
	{"mistral-c", "mis-3", "lesechos", 51, deal("Mistral AI SAS", "unknown", money(600_000_000, "EUR"))},
	// A mega round, one outlet covering it seven weeks late.
	{"anthropic-f", "ant-1", "businesswire", 60, deal("Anthropic", "Series F", money(13_000_000_000, "USD"))},
	{"anthropic-f", "ant-2", "theinformation", 60, deal("Anthropic PBC", "Series F", money(13_000_000_000, "USD"))},
	{"anthropic-f", "ant-3", "fortune", 110, deal("Anthropic", "Series F", money(13_000_000_000, "USD"))},
	// Two companies called "Atlas" raising seeds the same week.
	{"atlas-energy", "atl-1", "canarymedia", 70, deal("Atlas Energy", "seed", money(3_000_000, "USD"))},
	{"atlas-energy", "atl-2", "newsletter", 71, deal("Atlas", "seed", money(3_000_000, "USD"))},
	{"atlas-ai", "atl-3", "techcrunch", 74, deal("Atlas AI", "seed", money(3_500_000, "USD"))},
	{"atlas-ai", "atl-4", "axios", 75, deal("Atlas", "seed", money(3_500_000, "USD"))},
	// Two unnamed raises of one company three weeks apart.
	{"quantia-1", "qua-1", "finextra", 80, deal("Quantia", "unknown", money(20_000_000, "USD"))},
	{"quantia-2", "qua-2", "finextra", 101, deal("Quantia", "unknown", money(22_000_000, "USD"))},
	// An acquisition, a grant, a fund close.
	{"orbital-acq", "orb-1", "spacenews", 90, acquired("Orbital Insight", "Privateer")},
	{"orbital-acq", "orb-2", "techcrunch", 91, acquired("Orbital Insight Inc.", "Privateer Space")},
	{"fermata-grant", "fer-1", "utilitydive", 95, deal("Fermata Energy", "grant", money(2_000_000, "USD"))},
	{"fermata-grant", "fer-2", "prnewswire", 95, deal("Fermata Energy", "grant", money(2_000_000, "USD"))},
	{"lightspeed-fund", "lsp-1", "axios", 100, deal("Lightspeed Venture Partners", "fund", money(7_000_000_000, "USD"))},
	{"lightspeed-fund", "lsp-2", "techcrunch", 100, deal("Lightspeed", "fund", money(7_000_000_000, "USD"))},
	// Added after the rule was tuned on the reports above, and kept whatever
	// the result: a first word that differs, outlets disagreeing on the round,
	// two different companies with one name.
	{"deepmind", "dm-1", "ft", 200, deal("Google DeepMind", "strategic", money(500_000_000, "USD"))},
	{"deepmind", "dm-2", "theverge", 200, deal("DeepMind", "strategic", money(500_000_000, "USD"))},
	{"revolut-d", "rev-1", "reuters", 210, deal("Revolut", "Series D", money(800_000_000, "USD"))},
	{"revolut-d", "rev-2", "sifted", 211, deal("Revolut Ltd", "Series E", money(800_000_000, "USD"))},
	{"nova-credit", "nov-1", "techcrunch", 220, deal("Nova", "seed", money(2_000_000, "USD"))},
	{"nova-bio", "nov-2", "fiercebiotech", 225, deal("Nova", "seed", money(10_000_000, "USD"))},
	{"browser-co", "bro-1", "theverge", 230, deal("The Browser Company", "Series B", money(50_000_000, "USD"))},
	{"browser-co", "bro-2", "techcrunch", 230, deal("Browser Company of New York", "Series B", money(50_000_000, "USD"))},
	// Single reports.
	{"kestrel-a", "kes-1", "fiercebiotech", 40, deal("Kestrel Bio", "Series A", money(30_000_000, "USD"))},
	{"zeno-b", "zen-1", "techcrunch", 41, deal("Zeno Power", "Series B", money(50_000_000, "USD"))},
}

// pairScores counts, over all pairs of reports, those the resolver put in
// one deal (predicted) and those that truly are one deal (truth).
type pairScores struct {
	tp, fp, fn int
	wrong      []string // merged but different deals
	missed     []string // same deal but split
}

func (s pairScores) precision() float64 { return float64(s.tp) / float64(s.tp+s.fp) }
func (s pairScores) recall() float64    { return float64(s.tp) / float64(s.tp+s.fn) }

func scorePairs(set []labelled, dealOf map[string]string) pairScores {
	var s pairScores
	for i := range set {
		for j := i + 1; j < len(set); j++ {
			a, b := set[i], set[j]
			same, pred := a.truth == b.truth, dealOf[a.id] == dealOf[b.id]
			pair := a.id + "~" + b.id
			switch {
			case same && pred:
				s.tp++
			case pred:
				s.fp++
				s.wrong = append(s.wrong, pair)
			case same:
				s.fn++
				s.missed = append(s.missed, pair)
			}
		}
	}
	return s
}

func TestResolutionQuality(t *testing.T) {
	recs := make([]news.Record, len(qualitySet))
	truths := map[string]bool{}
	for i, l := range qualitySet {
		recs[i] = report{l.id, l.source, day(l.day), []news.Deal{l.deal}}.record()
		truths[l.truth] = true
	}
	var want string
	// Three arrival orders: as listed, and two shuffles. All must agree.
	for round := range 3 {
		order := slices.Clone(recs)
		if round > 0 {
			rng := rand.New(rand.NewPCG(uint64(round), 7))
			rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		}
		r := newResolver(t, Config{})
		resolveAll(t, r, order)
		ds := allDeals(t, r)
		got := dealsJSON(t, ds)
		if round == 0 {
			want = got
		} else if got != want {
			t.Errorf("arrival order %d gives other deals than order 0", round)
			continue
		}
		if round > 0 {
			continue
		}
		dealOf := map[string]string{}
		for _, d := range ds {
			for _, s := range d.Sources {
				dealOf[s.ArticleID] = d.ID
			}
		}
		s := scorePairs(qualitySet, dealOf)
		f1 := 2 * s.precision() * s.recall() / (s.precision() + s.recall())
		t.Logf("resolution quality on %d reports of %d deals: %d deals resolved; pairwise precision %.3f (%d/%d), recall %.3f (%d/%d), F1 %.3f",
			len(qualitySet), len(truths), len(ds), s.precision(), s.tp, s.tp+s.fp, s.recall(), s.tp, s.tp+s.fn, f1)
		t.Logf("wrongly merged pairs: %s", strings.Join(s.wrong, " "))
		t.Logf("wrongly split pairs: %s", strings.Join(s.missed, " "))
		// Floors at the measured figures, so any regression fails.
		if s.precision() < 0.96 || s.recall() < 0.96 {
			t.Errorf("precision %.3f, recall %.3f: below the floors 0.96 / 0.96", s.precision(), s.recall())
		}
	}
}
