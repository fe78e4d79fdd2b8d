package deals

import (
	"strings"
	"testing"
	"time"

	"github.com/dealwire/dealwire/news"
)

// span locates sub in text; the test texts hold each fact once.
func span(t *testing.T, text, sub string) news.Span {
	t.Helper()
	i := strings.Index(text, sub)
	if i < 0 {
		t.Fatalf("%q not in %q", sub, text)
	}
	return news.Span{Start: i, End: i + len(sub)}
}

// TestAnchors checks that every chosen fact of a merged deal keeps the span
// it has in the text of the source named by its anchor, so that the page
// can open that article with the fact highlighted.
func TestAnchors(t *testing.T) {
	texts := map[string]string{
		"wire": "Helio Grid raises a Series B\nHelio Grid said on Monday it raised $40 million in a Series B round led by Accel, at a valuation of $400 million, to build 2 GW of storage.",
		"blog": "Helio Grid lands its Series B\nThe battery maker Helio Grid closed a $40M Series B from Accel and Index Ventures, which put in $5 million.",
		"news": "Helio Grid funded\nHelio Grid has raised $45 million in Series B funding, with Index Ventures joining.",
	}
	outlets := map[string]string{"wire": "Grid Wire", "blog": "Battery Blog", "news": ""}
	recs := make([]news.Record, 0, len(texts))
	for i, id := range []string{"wire", "blog", "news"} {
		text := texts[id]
		at := t0.Add(time.Duration(i) * time.Hour)
		amountText := map[string]string{"wire": "$40 million", "blog": "$40M", "news": "$45 million"}[id]
		value := int64(40_000_000)
		if id == "news" {
			value = 45_000_000
		}
		amount := money(value, "USD")
		amount.Text, amount.Span = amountText, span(t, text, amountText)
		d := news.Deal{Company: "Helio Grid", Round: "series b", Amount: amount, Confidence: 0.9}
		switch id {
		case "wire":
			val := money(400_000_000, "USD")
			val.Text, val.Span = "$400 million", span(t, text, "$400 million")
			d.Valuation = &news.Valuation{Money: *val, Basis: "unspecified"}
			d.Investors = []news.Investor{{Name: "Accel", Canonical: "Accel", Lead: true, Span: span(t, text, "Accel")}}
			d.Capacity = []news.Capacity{{ValueWatts: news.Decimal{Coef: 2, Exp: 9}, Text: "2 GW", Span: span(t, text, "2 GW")}}
		case "blog":
			share := money(5_000_000, "USD")
			share.Text, share.Span = "$5 million", span(t, text, "$5 million")
			d.Investors = []news.Investor{
				{Name: "Accel", Canonical: "Accel", Span: span(t, text, "Accel")},
				{Name: "Index Ventures", Canonical: "Index Ventures", Span: span(t, text, "Index Ventures"), Amount: share},
			}
		case "news":
			d.Investors = []news.Investor{{Name: "Index Ventures", Canonical: "Index Ventures", Span: span(t, text, "Index Ventures")}}
		}
		recs = append(recs, news.Record{
			V: news.SchemaVersion,
			Article: news.Article{
				V: news.SchemaVersion, ID: id, URL: "https://" + id + ".example/helio", Source: id,
				Outlet: outlets[id], Title: text[:strings.Index(text, "\n")], Text: text,
				PublishedAt: at, FetchedAt: at.Add(time.Minute),
			},
			ExtractorVersion: "test-1",
			ExtractedAt:      at.Add(2 * time.Minute),
			Extraction:       news.Extraction{Deals: []news.Deal{d}},
		})
	}
	r := newResolver(t, Config{})
	resolveAll(t, r, recs)
	ds := allDeals(t, r)
	if len(ds) != 1 {
		t.Fatalf("got %d deals, want 1: %+v", len(ds), ds)
	}
	d := ds[0]

	// Every anchor's span cuts, out of its article's text, the text of the
	// fact it anchors.
	factText := func(a news.DealAnchor) string {
		switch a.Field {
		case "amount":
			return d.Amount.Text
		case "valuation":
			return d.Valuation.Text
		case "investor":
			return d.Investors[a.Index].Name
		case "investor_amount":
			return d.Investors[a.Index].Amount.Text
		case "capacity":
			return d.Capacity[a.Index].Text
		}
		t.Fatalf("anchor of unknown field %q", a.Field)
		return ""
	}
	var got []string
	for _, a := range d.Anchors {
		text := texts[a.ArticleID]
		if a.Span.Start < 0 || a.Span.End > len(text) || a.Span.Start >= a.Span.End {
			t.Fatalf("anchor %+v out of the bounds of its article (%d bytes)", a, len(text))
		}
		if cut, want := text[a.Span.Start:a.Span.End], factText(a); cut != want {
			t.Errorf("anchor %+v cuts %q from %s, want %q", a, cut, a.ArticleID, want)
		}
		got = append(got, a.Field+"@"+a.ArticleID)
	}
	// The amount $40M is given by two sources (wire first); Accel is named
	// first by wire; Index Ventures by blog (earliest of the two that name
	// it), which alone gives its share.
	want := []string{"amount@wire", "valuation@wire", "investor@wire", "investor@blog", "investor_amount@blog", "capacity@wire"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("anchors = %v, want %v", got, want)
	}
	// The chosen values carry the same spans as their anchors.
	if want := span(t, texts["wire"], "$40 million"); d.Amount.Span != want {
		t.Errorf("amount span = %+v, want %+v (the wire's figure)", d.Amount.Span, want)
	}
	if want := span(t, texts["blog"], "Index Ventures"); d.Investors[1].Span != want {
		t.Errorf("Index Ventures span = %+v, want %+v (the blog's name)", d.Investors[1].Span, want)
	}
	for _, s := range d.Sources {
		if s.Outlet != outlets[s.ArticleID] {
			t.Errorf("source %s outlet = %q, want %q", s.ArticleID, s.Outlet, outlets[s.ArticleID])
		}
	}
}
