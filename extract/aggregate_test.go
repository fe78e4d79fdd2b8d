package extract

import (
	"slices"
	"strings"
	"testing"
)

// A figure in another currency after "or" restates the figure before it:
// one deal, with the conversion as its equivalent.
func TestConversionAfterOr(t *testing.T) {
	for _, text := range []string{
		"Pune-based Tessaly Health has raised Rs 250 crore, or about $30 million, in a Series C round led by Quaylight Partners.",
		"La start-up nantaise Brevanne a levé 6 millions d'euros, soit 7 millions de dollars, auprès de Quaylight Partners.",
	} {
		ex := Extract(text)
		if len(ex.Deals) != 1 || ex.Deals[0].Amount == nil {
			t.Errorf("%q: %d deals, want 1 with an amount: %+v", text, len(ex.Deals), ex.Deals)
			continue
		}
		m := ex.Deals[0].Amount
		if m.Equivalent == nil || m.Equivalent.Currency != "USD" {
			t.Errorf("%q: amount %s %s with equivalent %+v, want the dollar figure as its equivalent", text, m.Value, m.Currency, m.Equivalent)
		}
	}
	// The same currency after "or" is no conversion: two figures.
	amts := analyseText(t, "Quillora may raise $5 million or $8 million this year.")
	if n := len(amts); n != 2 || amts[1].role == roleEquiv {
		t.Errorf("%d figures, the second %v: want two, the second no conversion", n, amts[len(amts)-1].role)
	}
}

func analyseText(t *testing.T, text string) []amount {
	t.Helper()
	d := newDoc(text, loadVocab())
	defer d.release()
	return slices.Clone(d.analyse().amts)
}

// The amount model's aggregate features: a plural noun of companies in
// the figure's clause, a count of deals and a period mark a statistic;
// one company's round has none of them.
func TestAggregateFeatures(t *testing.T) {
	cases := []struct {
		text string
		want []string // features that must be there
		not  []string // agg_ templates that must not
	}{
		{"Ruritanian startups took in €48 million this week across nine deals.", []string{"agg_noun=clause", "agg_count=1", "agg_period=1"}, nil},
		{"Fintech funding fell to $2.4 billion in the second quarter.", []string{"agg_period=1"}, []string{"agg_noun", "agg_count"}},
		{"Les jeunes pousses bretonnes ont levé 17 millions d'euros en cinq opérations.", []string{"agg_noun=clause", "agg_count=1"}, []string{"agg_period"}},
		{"Quillora raised $5 million in a seed round led by Alder Ventures.", nil, []string{"agg_noun", "agg_count", "agg_period"}},
	}
	for _, c := range cases {
		names := amountFeatNames(t, c.text)
		for _, w := range c.want {
			if !slices.Contains(names, w) {
				t.Errorf("%q: no feature %s among %v", c.text, w, aggOnly(names))
			}
		}
		for _, n := range c.not {
			for _, got := range names {
				if strings.HasPrefix(got, n+"=") {
					t.Errorf("%q: feature %s, want none of %s", c.text, got, n)
				}
			}
		}
	}
}

// amountFeatNames returns the amount model's features of the first
// figure of text.
func amountFeatNames(t *testing.T, text string) []string {
	t.Helper()
	d := newDoc(text, loadVocab())
	defer d.release()
	a := d.analyse()
	if len(a.amts) == 0 {
		t.Fatalf("%q: no figure", text)
	}
	d.amts = a.amts
	f := featSet{train: true}
	d.amountFeats(&f, a.amts, 0, d.mainCompany(a.amts))
	return slices.Clone(f.names)
}

func aggOnly(names []string) []string {
	var out []string
	for _, n := range names {
		if strings.HasPrefix(n, "agg_") {
			out = append(out, n)
		}
	}
	return out
}

// The company the rules read for a figure, against the text's main
// company: a country or a region, or an investor the gazetteer knows, is
// told apart from another company.
func TestCompanyVsMainKinds(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"Quillora raised $5 million. Portugal attracted $25 million of venture money.", "place"},
		{"Quillora raised $5 million. SoftBank invested $40 million.", "investor"},
		{"Quillora raised $5 million. Brindle Labs raised $40 million.", "other"},
	} {
		d := newDoc(c.text, loadVocab())
		a := d.analyse()
		d.amts = a.amts
		got := ""
		if len(a.amts) == 2 {
			got = d.companyVsMain(a.amts[1], d.mainCompany(a.amts))
		}
		d.release()
		if got != c.want {
			t.Errorf("%q: second figure's company %q, want %q", c.text, got, c.want)
		}
	}
}
