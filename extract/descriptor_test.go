package extract

import "testing"

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
