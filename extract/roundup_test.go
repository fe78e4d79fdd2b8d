package extract

import (
	"testing"

	"github.com/dealwire/dealwire/news"
)

// A roundup's items written as a name with its figure in brackets are
// deals of those names, a leading nationality set aside.
func TestRoundupBracketItems(t *testing.T) {
	text := "Seed rounds closed this week: " +
		"Kestrelwave ($3.1m), Tillbrook Labs ($1.4m) and Ugandan Marrowfield ($4.5m).\n\n" +
		"The month's total came to $40 million."
	checkCompanyAmounts(t, Extract(text), map[string]string{"Kestrelwave": "$3.1m", "Tillbrook Labs": "$1.4m", "Marrowfield": "$4.5m"})
}

func TestBracketOwner(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"Other rounds went to Malian Oruvo Tech ($1.4m) this week.", "Oruvo Tech"},
		{"It raised a Series B ($20m) from Hollin Ventures.", ""},
		{"Pelham Grid raised £4.1 million (US$5.2 million) last week.", ""},
	} {
		d := newDoc(tc.text, loadVocab())
		amts, _ := d.scan()
		got := ""
		for _, a := range amts {
			if r, ok := d.bracketOwner(a.h.qi, a.h.tj, d.sents[a.sent]); ok {
				got = d.nameText(r)
			}
		}
		if got != tc.want {
			t.Errorf("%q: owner %q, want %q", tc.text, got, tc.want)
		}
		d.release()
	}
}

// A price per share, written with a slash or before a bracketed
// conversion, is no deal figure.
func TestPricePerShareForms(t *testing.T) {
	text := "Kestrel Oil to Acquire Brindle Gas for $58.20/Share in Cash\n\n" +
		"Kestrel Oil priced its IPO at 27 dirhams (US$7.35) a share, raising 9 billion dirhams."
	ex := Extract(text)
	for _, dl := range ex.Deals {
		if dl.Amount != nil && (dl.Amount.Text == "$58.20" || dl.Amount.Text == "27 dirhams") {
			t.Errorf("a price per share became a deal: %+v", dl)
		}
	}
	var prices int
	for _, f := range ex.OtherAmounts {
		if f.Note == "price per unit" {
			prices++
		}
	}
	if prices != 2 {
		t.Errorf("%d prices per unit among the other amounts, want 2: %+v", prices, ex.OtherAmounts)
	}
}

// A sentence that opens with a phrase of the past reports an earlier
// round; one that opens with "earlier this month" reports the news.
func TestPastOpening(t *testing.T) {
	text := "Brindle Health has raised $40 million in a Series B led by Hollin Ventures.\n\n" +
		"Previously, Brindle Health raised $12 million in a Series A."
	ex := Extract(text)
	if len(ex.Deals) != 1 || ex.Deals[0].Amount == nil || ex.Deals[0].Amount.Text != "$40 million" {
		t.Errorf("deals %+v, want the $40 million Series B alone", ex.Deals)
	}
	ex = Extract("Earlier this month, Brindle Health raised $40 million in a Series B led by Hollin Ventures.")
	if len(ex.Deals) != 1 || ex.Deals[0].Amount == nil || ex.Deals[0].Amount.Text != "$40 million" {
		t.Errorf("deals %+v, want the $40 million Series B", ex.Deals)
	}
}

// After the first sentences, a month named alone dates an earlier round; a
// dated day is an item of the week.
func TestPastMonthOpening(t *testing.T) {
	text := "Brindle Health has raised $40 million in a Series B led by Hollin Ventures.\n\n" +
		"The company makes software for rural clinics.\n\n" +
		"It employs 120 people in three countries.\n\n" +
		"In May, Corvo Care raised $15 million from Pellis Partners.\n\n" +
		"On June 3, Tamsin Bio received $9 million in Series A funding from Ostrava Capital."
	ex := Extract(text)
	got := map[string]bool{}
	for _, dl := range ex.Deals {
		if dl.Amount != nil {
			got[dl.Amount.Text] = true
		}
	}
	if !got["$40 million"] || !got["$9 million"] || got["$15 million"] {
		t.Errorf("deal amounts %v, want $40 million and $9 million, not $15 million", got)
	}
}

// A roundup's item headings written in Title Case end their names where a
// capitalised verb starts, as the headline does; a sentence in Title Case
// that ends with a full stop, or a lower-case line, is no heading.
func TestTitledItemHeadings(t *testing.T) {
	text := "Weekly Deals Digest\n\nA busy week for robotics and games.\n\n" +
		"Corvo Labs Announces $12 Million in Series A Funding\n\n" +
		"The Boston company builds warehouse robots.\n\n" +
		"Pellinor Games Closes $4.5M Seed Round to Expand Studio\n\n" +
		"The studio will hire twenty people.\n"
	checkCompanyAmounts(t, Extract(text), map[string]string{"Corvo Labs": "$12 Million", "Pellinor Games": "$4.5M"})

	for _, tc := range []struct {
		text   string
		titled []bool
	}{
		{"Intro line here.\nCorvo Labs Announces New Series A Funding\nMore text follows here.\n", []bool{false, true, false}},
		{"Intro line here.\nCorvo Labs announces a new funding round\nMore text follows here.\n", []bool{false, false, false}},
		{"Intro line here.\nCorvo Labs Announces New Series A Funding.\nMore text follows here.\n", []bool{false, false, false}},
		{"Intro line here.\nCorvo Labs Announces New Series A Funding\n", []bool{false, false}},
	} {
		d := newDoc(tc.text, loadVocab())
		var titled []bool
		for _, sn := range d.sents {
			titled = append(titled, sn.titled)
		}
		if len(titled) != len(tc.titled) {
			t.Errorf("%q: %d sentences, want %d", tc.text, len(titled), len(tc.titled))
		} else {
			for k := range titled {
				if titled[k] != tc.titled[k] {
					t.Errorf("%q: sentence %d titled %v, want %v", tc.text, k, titled[k], tc.titled[k])
				}
			}
		}
		d.release()
	}
}

// checkCompanyAmounts fails t unless ex has a deal of each company in want
// with the amount written as want gives it.
func checkCompanyAmounts(t *testing.T, ex news.Extraction, want map[string]string) {
	t.Helper()
	got := map[string]string{}
	for _, dl := range ex.Deals {
		if dl.Amount != nil {
			got[dl.Company] = dl.Amount.Text
		}
	}
	for c, amt := range want {
		if got[c] != amt {
			t.Errorf("company %q: amount %q, want %q (deals %v)", c, got[c], amt, got)
		}
	}
}
