package news

import (
	"encoding/json"
	"math"
	"regexp"
	"testing"
	"time"
)

// msgIDRecord is the record the message-id tests edit: a funding report as
// the extract stage publishes it.
func msgIDRecord() Record {
	amount := Decimal{Coef: 12, Exp: 6}
	return Record{
		V: SchemaVersion,
		Article: Article{
			V: SchemaVersion, ID: "0123abcd", URL: "https://example.com/a?utm_source=rss",
			CanonicalURL: "https://example.com/a", Source: "example-atom", FeedURL: "https://example.com/atom.xml",
			Title:   "Brightmoor lands €12m to build heat pumps",
			Text:    "Brightmoor lands €12m to build heat pumps\nBrightmoor, a startup based in Lisbon, has raised €12m in a Series A round led by Accel.",
			Authors: []string{"Ana Lima"}, Lang: "en",
			PublishedAt: time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC), DateSource: "feed",
			FetchedAt: time.Date(2026, 11, 20, 9, 5, 0, 0, time.UTC), Tags: []string{"funding"},
			Fingerprint: "00000000deadbeef",
		},
		ExtractorVersion: "extract-4",
		ExtractedAt:      time.Date(2026, 11, 20, 9, 5, 1, 0, time.UTC),
		Extraction: Extraction{Deals: []Deal{{
			Company: "Brightmoor", Round: "series a",
			Amount:    &Money{Value: amount, Currency: "EUR", Text: "€12m", Span: Span{Start: 105, End: 111}},
			Investors: []Investor{{Name: "Accel", Canonical: "Accel", Lead: true}},
		}}},
	}
}

func TestMsgIDsChangeWithContent(t *testing.T) {
	tests := []struct {
		name        string
		edit        func(r *Record)
		wantArticle bool // the ARTICLES message id changes
		wantRecord  bool // the RECORDS message id changes
	}{
		{"currency sign", func(r *Record) {
			r.Article.Text = "Brightmoor lands €12m to build heat pumps\nBrightmoor, a startup based in Lisbon, has raised $12m in a Series A round led by Accel."
		}, true, true},
		{"digit", func(r *Record) {
			r.Article.Text = "Brightmoor lands €12m to build heat pumps\nBrightmoor, a startup based in Lisbon, has raised €13m in a Series A round led by Accel."
		}, true, true},
		{"punctuation", func(r *Record) {
			r.Article.Text = "Brightmoor lands €12m to build heat pumps\nBrightmoor, a startup based in Lisbon, has raised €1.2m in a Series A round led by Accel."
		}, true, true},
		{"case of a name", func(r *Record) {
			r.Article.Text = "Brightmoor lands €12m to build heat pumps\nBrightMoor, a startup based in Lisbon, has raised €12m in a Series A round led by Accel."
		}, true, true},
		{"whitespace", func(r *Record) {
			r.Article.Text = "Brightmoor lands €12m to build heat pumps\nBrightmoor,  a startup based in Lisbon, has raised €12m in a Series A round led by Accel."
		}, true, true},
		{"title", func(r *Record) { r.Article.Title = "Brightmoor lands $12m to build heat pumps" }, true, true},
		{"bytes moved from title to text", func(r *Record) {
			r.Article.Title = "Brightmoor lands €12m to build heat pump"
			r.Article.Text = "s" + r.Article.Text
		}, true, true},
		{"article id", func(r *Record) { r.Article.ID = "4567ef01" }, true, true},
		{"extracted amount", func(r *Record) { r.Extraction.Deals[0].Amount.Value = Decimal{Coef: 13, Exp: 6} }, false, true},
		{"extracted currency", func(r *Record) { r.Extraction.Deals[0].Amount.Currency = "USD" }, false, true},
		{"extracted company", func(r *Record) { r.Extraction.Deals[0].Company = "Brightmoor Energy" }, false, true},
		{"USD value from a new FX table", func(r *Record) { r.Extraction.Deals[0].Amount.USD = 13e6 }, false, true},
		{"extractor version", func(r *Record) { r.ExtractorVersion = "extract-5" }, false, true},

		// How and when the article was seen is no content: a second feed,
		// a tracking parameter or a later fetch of the same article is a
		// repeat for both streams' duplicate windows.
		{"fetch time", func(r *Record) { r.Article.FetchedAt = r.Article.FetchedAt.Add(time.Hour) }, false, false},
		{"extraction time", func(r *Record) { r.ExtractedAt = r.ExtractedAt.Add(time.Hour) }, false, false},
		{"feed", func(r *Record) { r.Article.Source, r.Article.FeedURL = "example-rss", "https://example.com/rss.xml" }, false, false},
		{"link", func(r *Record) { r.Article.URL = "https://example.com/a?utm_source=twitter" }, false, false},
		{"feed date", func(r *Record) { r.Article.PublishedAt = r.Article.PublishedAt.Add(time.Hour) }, false, false},
		{"tags and authors", func(r *Record) { r.Article.Tags, r.Article.Authors = nil, []string{"A. Lima"} }, false, false},
		{"near-duplicate fingerprint", func(r *Record) { r.Article.Fingerprint = "" }, false, false},
	}
	base := msgIDRecord()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := msgIDRecord()
			tt.edit(&r)
			if got := r.Article.MsgID() != base.Article.MsgID(); got != tt.wantArticle {
				t.Errorf("article message id changed = %v, want %v (%s -> %s)", got, tt.wantArticle, base.Article.MsgID(), r.Article.MsgID())
			}
			if got := r.MsgID() != base.MsgID(); got != tt.wantRecord {
				t.Errorf("record message id changed = %v, want %v (%s -> %s)", got, tt.wantRecord, base.MsgID(), r.MsgID())
			}
		})
	}
}

func TestMsgIDForm(t *testing.T) {
	r := msgIDRecord()
	form := regexp.MustCompile(`^0123abcd/[0-9a-f]{32}$`)
	for _, id := range []string{r.Article.MsgID(), r.MsgID()} {
		if !form.MatchString(id) {
			t.Errorf("message id %q is not the article id, a slash and 32 hex digits", id)
		}
	}
	if r.Article.MsgID() == r.MsgID() {
		t.Errorf("article and record share the message id %q", r.MsgID())
	}
	again := msgIDRecord()
	if again.Article.MsgID() != r.Article.MsgID() || again.MsgID() != r.MsgID() {
		t.Errorf("message ids are not stable: %q %q, then %q %q", r.Article.MsgID(), r.MsgID(), again.Article.MsgID(), again.MsgID())
	}
	// An amount JSON cannot hold still gets an id of its own.
	inf := msgIDRecord()
	inf.Extraction.Deals[0].Amount.USD = math.Inf(1)
	none := msgIDRecord()
	none.Extraction = Extraction{}
	if inf.MsgID() == none.MsgID() || inf.MsgID() == r.MsgID() || !form.MatchString(inf.MsgID()) {
		t.Errorf("record with an infinite amount has message id %q; without facts %q; finite %q", inf.MsgID(), none.MsgID(), r.MsgID())
	}
}

// A reader that decodes a payload computes the same message id as its
// writer, so a replay or a re-drive from the dead letters is still a repeat.
func TestMsgIDSurvivesJSON(t *testing.T) {
	r := msgIDRecord()
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var back Record
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if got, want := back.MsgID(), r.MsgID(); got != want {
		t.Errorf("record message id after a JSON round trip = %q, want %q", got, want)
	}
	if got, want := back.Article.MsgID(), r.Article.MsgID(); got != want {
		t.Errorf("article message id after a JSON round trip = %q, want %q", got, want)
	}
}
