package deals

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dealwire/dealwire/company"
	"github.com/dealwire/dealwire/news"
)

// contribution is one deal of one article as stored in a company entry:
// what the source said plus the article version it came from.
type contribution struct {
	Src news.DealSource `json:"src"`
	// At is when the source reported the deal: its published time, or the
	// fetch time when the article has none. Windows are measured on it.
	At time.Time `json:"at"`
	// FetchedAt and ExtractedAt order versions of the same article, so an
	// older version replayed after an edit does not undo the edit.
	FetchedAt time.Time `json:"fetched_at"`
}

// ref is the identity of a contribution within its article.
func (c *contribution) ref() string {
	return c.Src.ArticleID + "#" + strconv.Itoa(c.Src.DealIndex)
}

// facts are the normalised values clustering compares, derived from a
// contribution on every merge rather than stored, so that a change of the
// normalisation rules applies to old entries too.
type facts struct {
	c      *contribution
	tokens []string
	round  string
}

func (f facts) key() string { return strings.Join(f.tokens, " ") }

// cluster is a deal under construction.
type cluster struct {
	members []facts
	names   [][]string // distinct company token lists of the members
	known   []string   // the members' rounds other than "unknown"
	first   time.Time
}

func less(a, b *contribution) int {
	if c := a.At.Compare(b.At); c != 0 {
		return c
	}
	if c := strings.Compare(a.Src.ArticleID, b.Src.ArticleID); c != 0 {
		return c
	}
	return cmp.Compare(a.Src.DealIndex, b.Src.DealIndex)
}

// resolve groups the contributions of one company entry into deals and
// merges each group into a record. It is a pure function of the set of
// contributions: the input order does not matter.
func resolve(contribs []contribution, rules rules) []news.DealRecord {
	ordered := make([]*contribution, len(contribs))
	for i := range contribs {
		ordered[i] = &contribs[i]
	}
	slices.SortFunc(ordered, less)
	var clusters []*cluster
	for _, c := range ordered {
		f := facts{c: c, tokens: company.Tokens(c.Src.Deal.Company), round: NormalizeRound(c.Src.Deal.Round)}
		if len(f.tokens) == 0 {
			continue
		}
		best, bestScore := -1, -1
		for i, cl := range clusters {
			if s := rules.score(f, cl); s > bestScore {
				best, bestScore = i, s
			}
		}
		if best < 0 {
			clusters = append(clusters, &cluster{first: c.At})
			best = len(clusters) - 1
		}
		clusters[best].add(f)
	}
	out := make([]news.DealRecord, 0, len(clusters))
	for _, cl := range clusters {
		out = append(out, merge(cl))
	}
	slices.SortFunc(out, func(a, b news.DealRecord) int { return strings.Compare(a.ID, b.ID) })
	return out
}

func (cl *cluster) add(f facts) {
	cl.members = append(cl.members, f)
	if f.round != "unknown" && !slices.Contains(cl.known, f.round) {
		cl.known = append(cl.known, f.round)
	}
	if !slices.ContainsFunc(cl.names, func(n []string) bool { return slices.Equal(n, f.tokens) }) {
		cl.names = append(cl.names, f.tokens)
	}
}

// equity reports whether every known round of the cluster is an equity
// round, so that an "unknown" or differently named equity round may join.
func (cl *cluster) equity() bool {
	for _, r := range cl.known {
		if !equityRounds[r] {
			return false
		}
	}
	return true
}

// rules are the clustering thresholds of a [Config].
type rules struct {
	window, longWindow      time.Duration
	amountRatio, splitRatio float64
}

// score says how well f fits cl: -1 when it cannot belong to it, else higher
// for a better fit. See doc.go for the rule.
func (r rules) score(f facts, cl *cluster) int {
	d := f.c.At.Sub(cl.first)
	if d < 0 {
		d = -d
	}
	if d > r.longWindow {
		return -1
	}
	for _, m := range cl.members {
		if m.c.Src.ArticleID == f.c.Src.ArticleID {
			// One article reporting two deals of one company means two deals.
			return -1
		}
	}
	exactName := false
	for _, n := range cl.names {
		if !namesCompatible(f.tokens, n) {
			return -1
		}
		exactName = exactName || slices.Equal(f.tokens, n)
	}
	ratio, compared := r.amountEvidence(f, cl)
	agree := compared && ratio <= 1.1
	disagree := compared && ratio > r.amountRatio
	if compared && ratio > r.splitRatio {
		// Even the same named round: "Nova raises $2M seed" and "Nova raises
		// $10M seed" a week apart are two companies called Nova.
		return -1
	}
	sameRound := f.round != "unknown" && slices.Contains(cl.known, f.round)
	if d > r.window && !(agree && sameRound) {
		// Late coverage joins only with the same named round and amount.
		return -1
	}
	score := 0
	switch {
	case sameRound:
		score += 8
	case f.round == "unknown" && cl.equity(), len(cl.known) == 0 && equityRounds[f.round]:
		// One side does not name the round: only amounts can tell rounds
		// apart, so a clear disagreement splits them.
		if disagree {
			return -1
		}
	case equityRounds[f.round] && cl.equity() && agree:
		// Outlets name different rounds ("Series D", "Series E") for the
		// same sum in the same weeks: one deal, the round a conflict.
		score += 1
	default:
		return -1
	}
	if !exactName {
		// A name that is only a prefix ("Acme" for "Acme Robotics") needs the
		// amount not to contradict it, or it may be another company.
		if disagree {
			return -1
		}
	} else {
		score += 2
	}
	if agree {
		score += 4
	}
	// Prefer the nearest deal in time among equals; the window is at most a
	// few months, so hours fit comfortably in the low digits after scaling.
	return score*1_000_000 - int(min(d/time.Hour, 999_999))
}

// amountEvidence compares f's amount with the cluster's: the smallest ratio
// (larger over smaller) to any of them, and whether any could be compared.
func (r rules) amountEvidence(f facts, cl *cluster) (ratio float64, compared bool) {
	a := f.c.Src.Deal.Amount
	if a == nil {
		return 0, false
	}
	ratio = math.Inf(1)
	for _, m := range cl.members {
		b := m.c.Src.Deal.Amount
		if b == nil {
			continue
		}
		if q, ok := amountRatio(a, b); ok {
			ratio, compared = min(ratio, q), true
		}
	}
	return ratio, compared
}

// amountRatio is max/min of two amounts in the same currency, or in US
// dollars when both carry a USD value; ok is false when they cannot be
// compared.
func amountRatio(a, b *news.Money) (float64, bool) {
	var x, y float64
	switch {
	case a.Currency == b.Currency:
		x, y = a.Value.Float64(), b.Value.Float64()
	case a.USD > 0 && b.USD > 0:
		x, y = a.USD, b.USD
	default:
		return 0, false
	}
	if x <= 0 || y <= 0 {
		return 0, false
	}
	return math.Max(x, y) / math.Min(x, y), true
}

// dealID is the stable id of a deal whose first contribution is f. The
// company entry is part of it: when an edit moves the contribution to another
// company, the old id is retired, never reused by a live deal elsewhere.
func dealID(f facts) string {
	sum := sha256.Sum256([]byte("deal/" + bucketKey(f.tokens[0]) + "/" + f.c.ref()))
	return hex.EncodeToString(sum[:16])
}
