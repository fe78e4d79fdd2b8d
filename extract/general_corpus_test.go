package extract

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/dealwire/dealwire/news"
)

// The general tables are this project's own writing, so they may also train
// the model: testdata/general.jsonl holds them in the devset's schema, and
// scripts/train reads it beside ../shared. This test keeps the file in step
// with the tables (go test ./extract -run GeneralCorpus -update).
func TestGeneralCorpus(t *testing.T) {
	var buf bytes.Buffer
	for _, table := range []struct {
		prefix string
		cases  []generalCase
		tasks  []string // the models the table trains, all when nil
	}{{"g1-", generalCases, nil}, {"g2-", generalCases2, nil}, {"g3-", generalCases3, nil}, {"g4-", generalCases4, nil}, {"g5-", generalCases5, nil}, {"g6-", generalCases6, nil},
		{"g7-", generalCases7, nil}, {"g8-", generalCases8, nil}, {"g9-", generalCases9, nil}, {"g10-", generalCases10, []string{taskName}}, {"d-", dealTableCases(), nil}} {
		for i, c := range table.cases {
			g, err := generalGold(c)
			if err != nil {
				t.Fatalf("%s%03d: %v", table.prefix, i+1, err)
			}
			g.ID = fmt.Sprintf("%s%03d", table.prefix, i+1)
			g.Tasks = table.tasks
			b, err := json.Marshal(g)
			if err != nil {
				t.Fatal(err)
			}
			buf.Write(b)
			buf.WriteByte('\n')
		}
	}
	checkGenerated(t, "testdata/general.jsonl", buf.Bytes(), "it is out of step with the general tables: run go test ./extract -run GeneralCorpus -update, then scripts/train")
}

// generalGold turns a general case's deal lines into gold labels. Money
// spans are read back with the money recognizer, so values and currencies
// are the recognizer's; a span it does not find is an error.
func generalGold(c generalCase) (GoldDoc, error) {
	g := GoldDoc{Text: c.in}
	g.Deals = []news.Deal{}
	g.PriorAmounts, g.OtherAmounts = []news.Figure{}, []news.Figure{}
	money := moneyIn(c.in)
	get := func(text string) (*news.Money, error) {
		m, ok := money[text]
		if !ok {
			return nil, fmt.Errorf("no money %q in %q", text, c.in)
		}
		return &m, nil
	}
	for _, line := range c.want {
		f := strings.Split(line, " | ")
		if len(f) != 6 {
			return g, fmt.Errorf("deal line %q: want 6 fields", line)
		}
		dl := news.Deal{Company: f[0], Round: f[1], Investors: []news.Investor{}, Capacity: []news.Capacity{}}
		var err error
		if f[2] != "-" {
			if dl.Amount, err = get(f[2]); err != nil {
				return g, err
			}
		}
		if f[3] != "-" {
			i := strings.LastIndexByte(f[3], ' ')
			m, err := get(f[3][:i])
			if err != nil {
				return g, err
			}
			dl.Valuation = &news.Valuation{Money: *m, Basis: f[3][i+1:]}
		}
		if f[4] != "" {
			for _, iv := range strings.Split(f[4], ", ") {
				name, amt, _ := strings.Cut(iv, "=")
				inv := news.Investor{Name: strings.TrimSuffix(name, "*"), Lead: strings.HasSuffix(name, "*")}
				if amt != "" {
					if inv.Amount, err = get(amt); err != nil {
						return g, err
					}
				}
				dl.Investors = append(dl.Investors, inv)
			}
		}
		if f[5] != "" {
			for _, w := range strings.Split(f[5], ",") {
				v, err := news.ParseDecimal(w)
				if err != nil {
					return g, fmt.Errorf("capacity %q: %w", w, err)
				}
				dl.Capacity = append(dl.Capacity, news.Capacity{ValueWatts: v})
			}
		}
		g.Deals = append(g.Deals, dl)
	}
	return g, nil
}

// moneyIn maps the text of every money figure the recognizer finds in text
// to the figure.
func moneyIn(text string) map[string]news.Money {
	out := map[string]news.Money{}
	d := newDoc(text, loadVocab())
	defer d.release()
	amts, _ := d.scan()
	for _, a := range amts {
		m := d.toMoney(a.h)
		out[m.Text] = m
	}
	return out
}

// dealTableCases gathers the deal tables of the deal tests as general cases.
func dealTableCases() []generalCase {
	var out []generalCase
	for _, table := range [][]namedDealCase{casesDeals, casesDealsNewsStyle, casesDealsWireAndReleases} {
		for _, tt := range table {
			out = append(out, generalCase{in: tt.in, want: tt.want})
		}
	}
	for _, table := range [][]dealCase{casesAngelTitles, casesCompanyAndNumberForms, casesRoundWithoutFigure, casesLeadBeforeCompany, casesMoreNewsForms, casesFundsIPOsAcquisitions} {
		for _, tt := range table {
			var want []string
			if tt.want != "" {
				want = strings.Split(tt.want, "\n")
			}
			out = append(out, generalCase{in: tt.in, want: want})
		}
	}
	for _, in := range notDeals {
		out = append(out, generalCase{in: in})
	}
	return out
}
