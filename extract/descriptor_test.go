package extract

import (
	"slices"
	"strings"
	"testing"
)

// A descriptor that German capitalises, or title case glues onto a name,
// is not part of the sentence's subject.
func TestSubjectAfterDescriptor(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Das Münchner Startup Voltaris hat 12 Millionen Euro eingesammelt.", "Voltaris"},
		{"Das Kölner Softwareunternehmen Brenntal Labs sammelt 5 Millionen Euro ein.", "Brenntal Labs"},
		{"Energy Storage Firm Kestrel Power raised $40 million.", "Kestrel Power"},
		{"Kestrel Power raised $40 million.", "Kestrel Power"},
	} {
		d := newDoc(c.in, loadVocab())
		r, ok := d.subjectName(0)
		got := ""
		if ok {
			got = d.nameText(r)
		}
		d.release()
		if got != c.want {
			t.Errorf("subject of %q = %q, want %q", c.in, got, c.want)
		}
	}
}

// The rules' lists: a head noun the Romance languages write before its
// adjectives ("le fonds de pension danois Alder") is skipped to the
// name, unless a preposition ends the descriptor ("le fonds de Cobalt" is
// no investor of that name); "led jointly by" makes its names the leads.
func TestListDescriptorsAndLeads(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Kestrel a levé 30 millions d’euros, mené par le fonds de retraite danois Alder, avec la participation de Brook.", "Alder* Brook"},
		{"Kestrel a levé 30 millions d’euros auprès de Dune, le groupe norvégien Cobalt Industrie et Ember.", "Dune Cobalt Industrie Ember"},
		{"Kestrel a levé 30 millions d’euros auprès du fonds de Cobalt.", ""},
		{"Kestrel has closed a $200 million Series C financing, led jointly by Alder Life Sciences and Brook.", "Alder Life Sciences* Brook*"},
	} {
		got := ""
		for _, dl := range ExtractWith(c.in, nil).Deals {
			for _, iv := range dl.Investors {
				if got != "" {
					got += " "
				}
				got += iv.Name
				if iv.Lead {
					got += "*"
				}
			}
		}
		if got != c.want {
			t.Errorf("investors of %q = %q, want %q", c.in, got, c.want)
		}
	}
}

// The name model's candidates: a run with a capitalised title before a
// person's name ("Founder Bo Lind", "Alderwise-CEO Ann Roe",
// "Cobalt-Gründer Sten Dune") proposes the person, never the run with its
// title.
func TestTitleRunCandidates(t *testing.T) {
	text := "Kestrel hat 5 Millionen Euro eingesammelt. Auch der Alderwise-CEO Ann Roe und der Cobalt-Gründer Sten Dune beteiligten sich. " +
		"Founder Bo Lind also put in €1 million."
	d := newDoc(text, loadVocab())
	defer d.release()
	a := d.analyse()
	var got []string
	for _, c := range d.nameCands(a) {
		got = append(got, c.text)
	}
	for _, want := range []string{"Ann Roe", "Sten Dune", "Bo Lind"} {
		if !slices.Contains(got, want) {
			t.Errorf("candidates %q lack %q", got, want)
		}
	}
	for _, c := range got {
		if strings.Contains(c, "CEO") || strings.Contains(c, "Gründer") || strings.Contains(c, "Founder") {
			t.Errorf("candidate %q keeps its title (all: %q)", c, got)
		}
	}
}
