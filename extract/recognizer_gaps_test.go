package extract

import (
	"strings"
	"testing"
)

// TestRecognizerGaps checks two classes of figures the recognizer misread
// or missed on the folds (counted in README, the recognizer-gaps step): the
// English "mil." abbreviation, and ranges whose first figure has no
// currency of its own. All examples are made up.
func TestRecognizerGaps(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"mil. inside a sentence", "Harrow Fund to put $12 mil. into Brindle Ventures",
			[]string{"$12 mil. 12000000 USD"}},
		{"mil at a sentence end stays thousand", "O prêmio foi de R$ 40 mil. Outros dois receberam menos.",
			[]string{"R$ 40 mil 40000 BRL"}},
		{"german range", "Quellmark könnte mit 40 bis 55 Milliarden Dollar bewertet werden.",
			[]string{"40 bis 55 Milliarden Dollar 40000000000 USD max 55000000000"}},
		{"french range after entre", "Sept jeunes pousses ont levé entre 3 et 6 millions d’euros.",
			[]string{"3 et 6 millions d’euros 3000000 EUR max 6000000"}},
		{"french range with à", "Le fonds investira de 10 à 40 millions d’euros par an.",
			[]string{"10 à 40 millions d’euros 10000000 EUR max 40000000"}},
		{"scaled first figure", "Revenue of 7 billion to 9 billion Danish kroner is expected.",
			[]string{"7 billion to 9 billion Danish kroner 7000000000 DKK max 9000000000"}},
		{"a year before to is no range", "Sales rose in 2025 to 3 billion euros.",
			[]string{"3 billion euros 3000000000 EUR"}},
		{"und without zwischen is no range", "Alder gab 5 und Brook 9 Millionen Euro.",
			[]string{"9 Millionen Euro 9000000 EUR"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := allMoneyMax(t, tt.in)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("money in %q:\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

// allMoneyMax is allMoney with the top of a range.
func allMoneyMax(t *testing.T, text string) []string {
	t.Helper()
	d := newDoc(text, loadVocab())
	defer d.release()
	amts, _ := d.scan()
	var out []string
	for _, a := range amts {
		m := d.toMoney(a.h)
		if text[m.Span.Start:m.Span.End] != m.Text {
			t.Errorf("span %v does not match text %q", m.Span, m.Text)
		}
		s := m.Text + " " + m.Value.String() + " " + m.Currency
		if m.Max != nil {
			s += " max " + m.Max.String()
		}
		out = append(out, s)
	}
	return out
}
