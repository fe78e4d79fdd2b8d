package api

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dealwire/dealwire/news"
)

// segment is a run of text that the same highlights cover: the page
// renders it as a <mark> (a fact), a <span> (a wider range such as an
// evidence sentence) or plain text. html/template escapes Text, Class and
// Title, so a hostile article cannot inject markup through them.
type segment struct {
	Text  string
	Tag   string // "mark", "span" or "" for plain text
	Class string
	Title string
}

// highlight is a range of a text to show: Span is a half-open byte range.
type highlight struct {
	news.Span
	Class string
	Title string
	// Mark renders the range as a <mark>, a fact; otherwise a <span>.
	Mark bool
}

// segments cuts text at every boundary of the highlights and gives each
// piece the classes and titles of the highlights that cover it, so that
// overlapping ranges (a figure inside its evidence sentence) nest. A
// highlight out of range, empty, or cutting a UTF-8 sequence is dropped:
// spans are byte offsets, and one that does not fit this text was made for
// another version of it.
func segments(text string, hs []highlight) []segment {
	onBoundary := func(i int) bool { return i == len(text) || utf8.RuneStart(text[i]) }
	ok := make([]highlight, 0, len(hs))
	cuts := []int{0, len(text)}
	for _, h := range hs {
		if h.Start < 0 || h.End > len(text) || h.Start >= h.End || !onBoundary(h.Start) || !onBoundary(h.End) {
			continue
		}
		ok = append(ok, h)
		cuts = append(cuts, h.Start, h.End)
	}
	slices.Sort(cuts)
	cuts = slices.Compact(cuts)
	out := make([]segment, 0, len(cuts))
	for i := 0; i+1 < len(cuts); i++ {
		s, e := cuts[i], cuts[i+1]
		seg := segment{Text: text[s:e]}
		var classes, titles []string
		for _, h := range ok {
			if h.Start > s || h.End < e {
				continue
			}
			if h.Class != "" && !slices.Contains(classes, h.Class) {
				classes = append(classes, h.Class)
			}
			if h.Title != "" && !slices.Contains(titles, h.Title) {
				titles = append(titles, h.Title)
			}
			switch {
			case h.Mark:
				seg.Tag = "mark"
			case seg.Tag == "":
				seg.Tag = "span"
			}
		}
		seg.Class, seg.Title = strings.Join(classes, " "), strings.Join(titles, "; ")
		out = append(out, seg)
	}
	return out
}

// fact is one located fact of an extracted deal.
type fact struct {
	news.Span
	Text  string
	Class string
	Title string
}

// facts lists the facts of d that carry a span into the article's text.
func facts(d news.Deal) []fact {
	var out []fact
	if m := d.Amount; m != nil {
		out = append(out, fact{m.Span, m.Text, "fig amount", "amount raised"})
	}
	if v := d.Valuation; v != nil {
		out = append(out, fact{v.Span, v.Text, "fig valuation", "valuation"})
	}
	for _, inv := range d.Investors {
		f := fact{inv.Span, inv.Name, "inv", "investor"}
		if inv.Lead {
			f.Class, f.Title = "inv lead", "lead investor"
		}
		out = append(out, f)
	}
	for _, c := range d.Capacity {
		out = append(out, fact{c.Span, c.Text, "fig capacity", "capacity"})
	}
	return out
}

// evidence is d's evidence sentence with its figures and investors
// highlighted. Fact spans point into the article's text, where the sentence
// starts at EvidenceSpan.Start; a fact whose span lies outside the sentence
// (a deal record's chosen figure from another source) is found by its text.
func evidence(d news.Deal) []segment {
	if d.Evidence == "" {
		return nil
	}
	es := d.EvidenceSpan
	anchored := es.End > es.Start
	var hs []highlight
	for _, f := range facts(d) {
		h := highlight{Class: f.Class, Title: f.Title, Mark: true}
		switch {
		case anchored && f.End > f.Start && f.Start >= es.Start && f.End <= es.Start+len(d.Evidence):
			h.Span = news.Span{Start: f.Start - es.Start, End: f.End - es.Start}
		case f.Text != "" && strings.Contains(d.Evidence, f.Text):
			i := strings.Index(d.Evidence, f.Text)
			h.Span = news.Span{Start: i, End: i + len(f.Text)}
		default:
			continue
		}
		hs = append(hs, h)
	}
	return segments(d.Evidence, hs)
}

// short writes an amount the way a reader scans it: 40M, 1.25B, 950,000.
func short(v float64) string {
	scaled := func(x float64, unit string) string {
		return strconv.FormatFloat(math.Round(x*100)/100, 'f', -1, 64) + unit
	}
	switch {
	case v >= 1e9:
		return scaled(v/1e9, "B")
	case v >= 1e6:
		return scaled(v/1e6, "M")
	}
	digits := strconv.FormatInt(int64(math.Round(v)), 10)
	var b strings.Builder
	for i, c := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// money writes m as "USD 40M", "~ EUR 12M" or "USD 10M–20M"; "undisclosed"
// when there is none.
func money(m *news.Money) string {
	if m == nil {
		return "undisclosed"
	}
	s := m.Currency + " " + short(m.Value.Float64())
	if m.Max != nil {
		s += "–" + short(m.Max.Float64())
	}
	if m.Approx {
		q := m.Qualifier
		if q == "" {
			q = "~"
		}
		s = q + " " + s
	}
	return s
}

// valuation writes v with its basis, "" when there is none.
func valuation(v *news.Valuation) string {
	if v == nil {
		return ""
	}
	return strings.TrimSpace(money(&v.Money) + " " + v.Basis)
}

// confidence writes the extractor model's confidence in a deal; 0 means
// the model did not score it.
func confidence(c float64) string {
	if c == 0 {
		return "confidence not scored"
	}
	return "confidence " + strconv.FormatFloat(c, 'f', 2, 64)
}

// conflictValue writes a conflicting value for a reader: money values come
// as "40000000 USD" and show as "USD 40M"; other fields as they are.
func conflictValue(field, v string) string {
	if field != "amount" && field != "valuation" {
		return v
	}
	num, cur, ok := strings.Cut(v, " ")
	if !ok || len(cur) != 3 {
		return v
	}
	f, err := strconv.ParseFloat(num, 64)
	if err != nil {
		return v
	}
	return cur + " " + short(f)
}

// day writes the date of t, "" for the zero time.
func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02")
}
