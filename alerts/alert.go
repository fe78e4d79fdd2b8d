package alerts

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dealwire/dealwire/news"
)

// Alert kinds.
const (
	KindNew    = "new"
	KindUpdate = "update"
)

// Alert is what every sink sends, in the JSON of the webhook body, the NATS
// message and the Atom entry: one rule matched one deal, for the first time
// (Kind "new", Version 1) or again after the deal changed in a way worth
// telling (Kind "update", Version 2, 3...; Changes says what changed).
type Alert struct {
	V int `json:"v"`
	// ID is "<rule>/<deal thread>/<version>": the same for every sink and
	// every retry, so a receiver can drop a repeat.
	ID   string `json:"id"`
	Rule string `json:"rule"`
	Kind string `json:"kind"`
	// Thread is the id of the deal the first alert was about; it stays when
	// the resolver later gives the deal another id.
	Thread  string   `json:"thread"`
	Version int      `json:"version"`
	Changes []string `json:"changes,omitempty"`
	// Summary is one line for people: "Acme raised 40M USD (series b) led by X".
	Summary string `json:"summary"`
	// URL is the deal's first source article.
	URL string `json:"url,omitempty"`
	// CreatedAt is when the alert was decided (the Atom entry's date).
	CreatedAt time.Time `json:"created_at"`
	// SentAt is set by the webhook sink on every attempt; the signature
	// covers it, so a replayed old request can be told by its age.
	SentAt time.Time       `json:"sent_at,omitzero"`
	Deal   news.DealRecord `json:"deal"`
}

// facts is what of a deal an alert is about. A change of any of them but
// Sources-removed is worth an update; the rest (confidence, evidence
// wording, extraction times) is not.
type facts struct {
	Company   string            `json:"company"`
	Round     string            `json:"round"`
	Amount    string            `json:"amount,omitempty"`
	Valuation string            `json:"valuation,omitempty"`
	Investors []string          `json:"investors,omitempty"` // "name" or "name (lead)", sorted
	Capacity  []string          `json:"capacity,omitempty"`  // watts, sorted
	Acquirer  string            `json:"acquirer,omitempty"`
	Sources   map[string]string `json:"sources,omitempty"` // article id -> source name
}

func factsOf(d news.DealRecord) facts {
	f := facts{Company: d.Company, Round: d.Round, Amount: moneyKey(d.Amount), Acquirer: d.Acquirer}
	if d.Valuation != nil {
		f.Valuation = moneyKey(&d.Valuation.Money) + " " + d.Valuation.Basis
	}
	for _, inv := range d.Investors {
		n := inv.Canonical
		if n == "" {
			n = inv.Name
		}
		if inv.Lead {
			n += " (lead)"
		}
		f.Investors = append(f.Investors, n)
	}
	slices.Sort(f.Investors)
	f.Investors = slices.Compact(f.Investors)
	for _, c := range d.Capacity {
		f.Capacity = append(f.Capacity, c.ValueWatts.String()+" W")
	}
	slices.Sort(f.Capacity)
	f.Capacity = slices.Compact(f.Capacity)
	if len(d.Sources) > 0 {
		f.Sources = map[string]string{}
		for _, s := range d.Sources {
			f.Sources[s.ArticleID] = s.Source
		}
	}
	return f
}

func moneyKey(m *news.Money) string {
	if m == nil {
		return ""
	}
	return m.Value.String() + " " + m.Currency
}

// changes lists, for people, what differs from before to after that is
// worth an update. Empty: nothing is (the state may still be refreshed).
func changes(before, after facts) []string {
	var out []string
	field := func(name, b, a string) {
		if b != a {
			out = append(out, fmt.Sprintf("%s: %s → %s", name, orNone(b), orNone(a)))
		}
	}
	var added []string
	for id, src := range after.Sources {
		if _, ok := before.Sources[id]; !ok {
			added = append(added, src)
		}
	}
	slices.Sort(added)
	for _, s := range added {
		out = append(out, "new source: "+s)
	}
	field("company", before.Company, after.Company)
	field("round", before.Round, after.Round)
	field("amount", before.Amount, after.Amount)
	field("valuation", before.Valuation, after.Valuation)
	field("acquirer", before.Acquirer, after.Acquirer)
	for _, inv := range after.Investors {
		if !slices.Contains(before.Investors, inv) {
			out = append(out, "investor: "+inv)
		}
	}
	for _, c := range after.Capacity {
		if !slices.Contains(before.Capacity, c) {
			out = append(out, "capacity: "+c)
		}
	}
	return out
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// Summary is one line about d: "Acme Robotics raised 40M USD (series b), led by Sequoia".
func Summary(d news.DealRecord) string {
	var b strings.Builder
	b.WriteString(cmpOr(d.Company, "unknown company"))
	switch {
	case d.Round == "acquisition" && d.Acquirer != "":
		b.WriteString(" acquired by " + d.Acquirer)
	case d.Amount != nil:
		b.WriteString(" raised " + FormatMoney(d.Amount))
	default:
		b.WriteString(" announced a deal")
	}
	if d.Round != "" && d.Round != "unknown" {
		b.WriteString(" (" + d.Round + ")")
	}
	if d.Valuation != nil {
		b.WriteString(", valued at " + FormatMoney(&d.Valuation.Money))
	}
	var leads []string
	for _, inv := range d.Investors {
		if inv.Lead {
			leads = append(leads, cmpOr(inv.Canonical, inv.Name))
		}
	}
	if len(leads) > 0 {
		b.WriteString(", led by " + strings.Join(leads, ", "))
	}
	return b.String()
}

// FormatMoney writes m for people: "40M USD", "1.2B EUR", "750K GBP".
func FormatMoney(m *news.Money) string {
	v := m.Value.Float64()
	unit := ""
	for _, u := range []struct {
		s string
		f float64
	}{{"T", 1e12}, {"B", 1e9}, {"M", 1e6}, {"K", 1e3}} {
		if v >= u.f {
			v, unit = v/u.f, u.s
			break
		}
	}
	s := strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
	return strings.TrimSpace(s + unit + " " + m.Currency)
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// newAlert builds the alert of rule about d.
func newAlert(rule, thread string, version int, kind string, ch []string, d news.DealRecord, now time.Time) Alert {
	if kind == KindNew {
		ch = nil // the first alert told is the whole deal
	}
	a := Alert{
		V: news.SchemaVersion, ID: alertID(rule, thread, version), Rule: rule, Kind: kind, Thread: thread, Version: version,
		Changes: ch, Summary: Summary(d), CreatedAt: now.UTC(), Deal: d,
	}
	if len(d.Sources) > 0 {
		a.URL = d.Sources[0].URL
	}
	return a
}

func alertID(rule, thread string, version int) string {
	return rule + "/" + thread + "/" + strconv.Itoa(version)
}

// Title is the alert's headline: "New deal: ..." or "Update: ...".
func (a Alert) Title() string {
	if a.Kind == KindUpdate {
		return "Update: " + a.Summary
	}
	return "New deal: " + a.Summary
}

// Text is the alert for people, several lines: title, changes, sources.
func (a Alert) Text() string {
	var b strings.Builder
	b.WriteString(a.Title() + "\n")
	for _, c := range a.Changes {
		b.WriteString("  changed: " + c + "\n")
	}
	if a.Deal.Confidence > 0 {
		fmt.Fprintf(&b, "Confidence: %.2f\n", a.Deal.Confidence)
	}
	for _, s := range a.Deal.Sources {
		line := "Source: " + cmpOr(s.Source, "unknown")
		if s.Title != "" {
			line += ": " + s.Title
		}
		b.WriteString(line + "\n  " + s.URL + "\n")
		if s.Deal.Evidence != "" {
			b.WriteString("  \"" + s.Deal.Evidence + "\"\n")
		}
	}
	fmt.Fprintf(&b, "Rule: %s, alert %s\n", a.Rule, a.ID)
	return b.String()
}
