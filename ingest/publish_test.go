package ingest

import (
	"testing"

	"github.com/dealwire/dealwire/news"
)

func TestMsgID(t *testing.T) {
	const body = "Orbital, a satellite startup, raised €12m in a seed round led by Accel."
	article := func(title, text string) news.Article {
		return news.Article{ID: "0a1b", Title: title, Text: title + "\n" + text, Source: "a"}
	}
	base := article("Orbital raises €12m", body)
	tests := []struct {
		name    string
		a       news.Article
		revised bool
		same    bool // the id equals base's first publication
	}{
		{"repeat", base, false, true},
		{"another feed's headline", article("Satellite startup Orbital lands €12m seed", body), false, true},
		{"another feed's name and link", news.Article{ID: base.ID, Title: base.Title, Text: base.Text, Source: "b", URL: "https://x.test/o?utm_source=b"}, false, true},
		{"currency sign", article("Orbital raises €12m", "Orbital, a satellite startup, raised $12m in a seed round led by Accel."), false, false},
		{"digit", article("Orbital raises €12m", "Orbital, a satellite startup, raised €13m in a seed round led by Accel."), false, false},
		{"case of a name", article("Orbital raises €12m", "Orbital, a satellite startup, raised €12m in a seed round led by ACCEL."), false, false},
		{"punctuation", article("Orbital raises €12m", "Orbital, a satellite startup, raised €1.2m in a seed round led by Accel."), false, false},
		{"revised, corrected headline", article("Orbital raises $12m", body), true, false},
		// A revised entry is published under an id that covers the
		// title, so even an unchanged one passes ARTICLES once; RECORDS
		// drops its record, whose content is unchanged.
		{"revised, unchanged", base, true, false},
	}
	first := msgID(base, false)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := msgID(tt.a, tt.revised)
			if (got == first) != tt.same {
				t.Errorf("msgID = %q, first publication %q; want equal = %v", got, first, tt.same)
			}
			if got[:len(base.ID)+1] != base.ID+"/" {
				t.Errorf("msgID = %q, want it to start with the article id", got)
			}
		})
	}
	// Two revisions with the same headline and text are one message; a
	// corrected headline is another.
	if msgID(base, true) != msgID(article("Orbital raises €12m", body), true) {
		t.Error("two unchanged revisions have different message ids")
	}
	if msgID(base, true) == msgID(article("Orbital raises $12m", body), true) {
		t.Error("a revised headline has the message id of the earlier one")
	}
}
