package extract

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"strings"

	"github.com/dealwire/dealwire/news"
)

// Kinds are the fact kinds the scorer measures, in report order.
var Kinds = []string{"raise", "valuation", "valuation_basis", "investor", "lead", "investor_amount", "capacity", "company", "round"}

// GoldDoc is one labelled document of a gold JSONL file
// (shared/devset/README.md).
type GoldDoc struct {
	ID    string `json:"id"`
	URL   string `json:"url,omitempty"` // where the text was published; folds split by its host
	Title string `json:"title,omitempty"`
	Text  string `json:"text"`
	// Tasks lists the models the document trains ("name", see
	// taskClasses); empty, it trains every one. A paragraph written for
	// one decision trains only that one, so that the others' training
	// order, and their results, stay as they were.
	Tasks []string `json:"tasks,omitempty"`
	news.Extraction
}

// ReadGoldFile reads the gold JSONL file at path.
func ReadGoldFile(path string) ([]GoldDoc, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("opening gold file: %w", err)
	}
	defer f.Close()
	return ReadGold(f)
}

// ReadGold reads a gold JSONL file.
func ReadGold(r io.Reader) ([]GoldDoc, error) {
	var out []GoldDoc
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var g GoldDoc
		if err := json.Unmarshal([]byte(line), &g); err != nil {
			return nil, fmt.Errorf("reading gold line %d: %w", n, err)
		}
		out = append(out, g)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading gold: %w", err)
	}
	return out, nil
}

// Counts are matched, spurious and missed facts of one kind.
type Counts struct {
	TP, FP, FN int
}

// Precision is TP/(TP+FP), 1 when nothing was predicted.
func (c Counts) Precision() float64 {
	if c.TP+c.FP == 0 {
		return 1
	}
	return float64(c.TP) / float64(c.TP+c.FP)
}

// Recall is TP/(TP+FN), 1 when nothing was expected.
func (c Counts) Recall() float64 {
	if c.TP+c.FN == 0 {
		return 1
	}
	return float64(c.TP) / float64(c.TP+c.FN)
}

// F1 is the harmonic mean of precision and recall.
func (c Counts) F1() float64 {
	p, r := c.Precision(), c.Recall()
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// DocErrors lists one document's misses and false positives as readable
// strings, per kind.
type DocErrors struct {
	ID     string
	Missed map[string][]string
	Extra  map[string][]string
}

// Report is the outcome of scoring a gold set.
type Report struct {
	Kinds map[string]*Counts
	Docs  []DocErrors
	// Failed lists the documents the extractor failed on (a recovered
	// panic: a bug), each as "id: error"; they are scored as empty.
	Failed []string
}

// Headline is the mean F1 of raise, valuation, investor and capacity.
func (r Report) Headline() float64 {
	return (r.Kinds["raise"].F1() + r.Kinds["valuation"].F1() + r.Kinds["investor"].F1() + r.Kinds["capacity"].F1()) / 4
}

// fact is one scored fact.
type fact struct {
	name, alt string
	value     float64
	currency  string
	basis     string
	label     string
}

// Score runs extract over every gold document and compares the facts with
// the matching rules of the devset README: money within 1% and the same
// currency, names after normalisation or as leading-word prefixes, watts
// within 1%, rounds exactly; one-to-one greedy matching; micro-averaged.
func Score(gold []GoldDoc, extract func(string) news.Extraction) Report {
	return ScoreChecked(gold, func(s string) (news.Extraction, error) { return extract(s), nil })
}

// ScoreChecked is [Score] with an extractor that reports its failures
// ([ExtractChecked]): they go to the report's Failed list.
func ScoreChecked(gold []GoldDoc, extract func(string) (news.Extraction, error)) Report {
	v := loadVocab()
	rep := Report{Kinds: map[string]*Counts{}}
	for _, k := range Kinds {
		rep.Kinds[k] = &Counts{}
	}
	for _, g := range gold {
		pred, err := extract(g.Text)
		if err != nil {
			rep.Failed = append(rep.Failed, g.ID+": "+err.Error())
		}
		gf, pf := facts(v, g.Extraction), facts(v, pred)
		de := DocErrors{ID: g.ID, Missed: map[string][]string{}, Extra: map[string][]string{}}
		for _, k := range Kinds {
			tp, missed, extra := matchFacts(v, k, gf[k], pf[k])
			c := rep.Kinds[k]
			c.TP += tp
			c.FN += len(missed)
			c.FP += len(extra)
			if len(missed) > 0 {
				de.Missed[k] = missed
			}
			if len(extra) > 0 {
				de.Extra[k] = extra
			}
		}
		if len(de.Missed)+len(de.Extra) > 0 {
			rep.Docs = append(rep.Docs, de)
		}
	}
	return rep
}

func moneyLabel(m *news.Money) string {
	return fmt.Sprintf("%s %s", m.Value.String(), m.Currency)
}

// facts flattens an extraction into de-duplicated facts per kind.
func facts(v *vocab, e news.Extraction) map[string][]fact {
	out := map[string][]fact{}
	seen := map[string]bool{}
	add := func(kind string, f fact) {
		key := kind + "|" + f.label
		if seen[key] {
			return
		}
		seen[key] = true
		out[kind] = append(out[kind], f)
	}
	for _, d := range e.Deals {
		if d.Amount != nil {
			add("raise", fact{value: d.Amount.Value.Float64(), currency: d.Amount.Currency, label: moneyLabel(d.Amount)})
		}
		if d.Valuation != nil {
			m := &d.Valuation.Money
			add("valuation", fact{value: m.Value.Float64(), currency: m.Currency, label: moneyLabel(m)})
			add("valuation_basis", fact{value: m.Value.Float64(), currency: m.Currency, basis: d.Valuation.Basis, label: moneyLabel(m) + " " + d.Valuation.Basis})
		}
		for _, iv := range d.Investors {
			add("investor", fact{name: iv.Name, alt: iv.Canonical, label: iv.Name})
			if iv.Lead {
				add("lead", fact{name: iv.Name, alt: iv.Canonical, label: iv.Name})
			}
			if iv.Amount != nil {
				add("investor_amount", fact{name: iv.Name, alt: iv.Canonical, value: iv.Amount.Value.Float64(), currency: iv.Amount.Currency, label: iv.Name + " " + moneyLabel(iv.Amount)})
			}
		}
		for _, c := range d.Capacity {
			add("capacity", fact{value: c.ValueWatts.Float64(), label: c.ValueWatts.String() + " W"})
		}
		if d.Company != "" {
			add("company", fact{name: d.Company, label: d.Company})
		}
		if r := strings.ToLower(d.Round); r != "" && r != "unknown" {
			add("round", fact{name: r, label: r})
		}
	}
	return out
}

func within1(a, b float64) bool {
	if a == b {
		return true
	}
	return math.Abs(a-b) <= 0.01*math.Max(math.Abs(a), math.Abs(b))
}

// namesMatch compares names after normalisation: equal, or one a
// leading-word prefix of the other.
func namesMatch(v *vocab, a, b string) bool {
	return keysMatch(normName(v, a), normName(v, b))
}

// keysMatch compares normalised names: equal, or one a leading-word prefix
// of the other.
func keysMatch(x, y string) bool {
	if x == "" || y == "" {
		return false
	}
	if x == y {
		return true
	}
	if len(x) > len(y) {
		x, y = y, x
	}
	return strings.HasPrefix(y, x+" ")
}

func factMatch(v *vocab, kind string, g, p fact) bool {
	switch kind {
	case "raise", "valuation":
		return g.currency == p.currency && within1(g.value, p.value)
	case "valuation_basis":
		return g.currency == p.currency && within1(g.value, p.value) && g.basis == p.basis
	case "investor", "lead":
		return namesMatch(v, g.name, p.name) || p.alt != "" && namesMatch(v, g.name, p.alt)
	case "investor_amount":
		return (namesMatch(v, g.name, p.name) || p.alt != "" && namesMatch(v, g.name, p.alt)) && g.currency == p.currency && within1(g.value, p.value)
	case "capacity":
		return within1(g.value, p.value)
	case "company":
		return namesMatch(v, g.name, p.name)
	case "round":
		return g.name == p.name
	}
	return false
}

// matchFacts pairs gold and predicted facts one to one, greedily.
func matchFacts(v *vocab, kind string, gold, pred []fact) (int, []string, []string) {
	used := make([]bool, len(pred))
	tp := 0
	var missed []string
	for _, g := range gold {
		hit := false
		for j, p := range pred {
			if !used[j] && factMatch(v, kind, g, p) {
				used[j], hit = true, true
				tp++
				break
			}
		}
		if !hit {
			missed = append(missed, g.label)
		}
	}
	var extra []string
	for j, p := range pred {
		if !used[j] {
			extra = append(extra, p.label)
		}
	}
	return tp, missed, extra
}

// WriteReport prints the per-kind table and the headline figure; with
// verbose it lists every document's misses and false positives.
func WriteReport(w io.Writer, r Report, verbose bool) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%-16s %6s %6s %6s %5s %5s %5s\n", "kind", "P", "R", "F1", "tp", "fp", "fn")
	for _, k := range Kinds {
		c := r.Kinds[k]
		fmt.Fprintf(&b, "%-16s %6.3f %6.3f %6.3f %5d %5d %5d\n", k, c.Precision(), c.Recall(), c.F1(), c.TP, c.FP, c.FN)
	}
	fmt.Fprintf(&b, "headline (mean F1 of raise, valuation, investor, capacity): %.3f\n", r.Headline())
	if len(r.Failed) > 0 {
		fmt.Fprintf(&b, "FAILED: the extractor failed on %d documents (scored as empty; a bug to fix):\n", len(r.Failed))
		for _, f := range r.Failed {
			first, _, _ := strings.Cut(f, "\n")
			fmt.Fprintf(&b, "  %s\n", first)
		}
	}
	if verbose {
		for _, d := range r.Docs {
			fmt.Fprintf(&b, "\n%s\n", d.ID)
			for _, k := range Kinds {
				for _, m := range d.Missed[k] {
					fmt.Fprintf(&b, "  miss  %-16s %s\n", k, m)
				}
				for _, m := range d.Extra[k] {
					fmt.Fprintf(&b, "  extra %-16s %s\n", k, m)
				}
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
