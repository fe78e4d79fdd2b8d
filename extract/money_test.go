package extract

import (
	"testing"
)

func TestParseNumber(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"40", "40", true},
		{"1,250,000", "1250000", true},
		{"1,250.5", "1250.5", true},
		{"1.2", "1.2", true},
		{"4.500.000", "4500000", true},
		{"3,50,00,000", "35000000", true},
		{"1,5", "1.5", true},
		{"2,4", "2.4", true},
		{"160,000", "160000", true},
		{"1.250.000,75", "1250000.75", true},
		{"1 200", "1200", true},
		{"0.05", "0.05", true},
		{"007", "7", true},
		{"99999999999999999999999", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := parseNumber(tt.in)
			if ok != tt.ok {
				t.Fatalf("parseNumber(%q) ok = %v, want %v", tt.in, ok, tt.ok)
			}
			if ok && got.String() != tt.want {
				t.Errorf("parseNumber(%q) = %s, want %s", tt.in, got.String(), tt.want)
			}
		})
	}
}

// firstMoney runs the money recognizer over text and returns the first hit.
func firstMoney(t *testing.T, text string) (moneyHit, *doc, bool) {
	t.Helper()
	d := newDoc(text, loadVocab())
	for i := range d.toks {
		if !d.isMoneyStartCandidate(i) {
			continue
		}
		if h, _, ok := d.money(i); ok {
			return h, d, true
		}
	}
	return moneyHit{}, d, false
}

func TestMoney(t *testing.T) {
	tests := []struct {
		name, in              string
		text, value, currency string
		qualifier, max        string
	}{
		{"dollar million", "It raised $40 million on Monday.", "$40 million", "40000000", "USD", "", ""},
		{"glued m", "a $7m round", "$7m", "7000000", "USD", "", ""},
		{"capital B", "lands $1.2B for cranes", "$1.2B", "1200000000", "USD", "", ""},
		{"MM", "secures $18MM Series A", "$18MM", "18000000", "USD", "", ""},
		{"US dollar symbol", "took in US$85m", "US$85m", "85000000", "USD", "", ""},
		{"code before", "has raised USD 310 million", "USD 310 million", "310000000", "USD", "", ""},
		{"euro sign", "raised €32 million", "€32 million", "32000000", "EUR", "", ""},
		{"euro code mn", "secured EUR 15mn in seed", "EUR 15mn", "15000000", "EUR", "", ""},
		{"euro after", "a round of 12 million euros", "12 million euros", "12000000", "EUR", "", ""},
		{"german", "ein Paket von 1,5 Mrd. € für", "1,5 Mrd. €", "1500000000", "EUR", "", ""},
		{"german mio", "sammelte €2,4 Mio. ein", "€2,4 Mio.", "2400000", "EUR", "", ""},
		{"pound", "raised £18m from", "£18m", "18000000", "GBP", "", ""},
		{"pence", "charges £1.50 a month", "£1.50", "1.5", "GBP", "", ""},
		{"pounds sterling", "five million pounds sterling", "five million pounds sterling", "5000000", "GBP", "", ""},
		{"rupee crore", "raised ₹120 crore", "₹120 crore", "1200000000", "INR", "", ""},
		{"rs cr", "Rs 50 Cr in Series A", "Rs 50 Cr", "500000000", "INR", "", ""},
		{"rs dot", "raised Rs. 8 crore", "Rs. 8 crore", "80000000", "INR", "", ""},
		{"lakh", "a ₹75 lakh cheque", "₹75 lakh", "7500000", "INR", "", ""},
		{"indian grouping", "worth ₹3,50,00,000 in", "₹3,50,00,000", "35000000", "INR", "", ""},
		{"rmb glued", "raised Rmb50mn in 2022", "Rmb50mn", "50000000", "CNY", "", ""},
		{"yuan", "raised 300 million yuan", "300 million yuan", "300000000", "CNY", "", ""},
		{"yen word", "raised 1.2 billion yen", "1.2 billion yen", "1200000000", "JPY", "", ""},
		{"yen sign tokyo", "The Tokyo company raised ¥5 billion", "¥5 billion", "5000000000", "JPY", "", ""},
		{"yen sign shanghai", "The Shanghai company raised ¥5 billion", "¥5 billion", "5000000000", "CNY", "", ""},
		{"kr sweden", "A Stockholm startup raised 40 million kr", "40 million kr", "40000000", "SEK", "", ""},
		{"kr norway", "An Oslo startup got a kr 90 million grant", "kr 90 million", "90000000", "NOK", "", ""},
		{"canadian", "raised C$40 million", "C$40 million", "40000000", "CAD", "", ""},
		{"singapore", "raised S$30 million", "S$30 million", "30000000", "SGD", "", ""},
		{"hong kong", "raised HK$1.1 billion", "HK$1.1 billion", "1100000000", "HKD", "", ""},
		{"swiss francs", "65 million Swiss francs in", "65 million Swiss francs", "65000000", "CHF", "", ""},
		{"chf", "raised CHF 22 million", "CHF 22 million", "22000000", "CHF", "", ""},
		{"rupiah", "goods worth Rp 45 trillion", "Rp 45 trillion", "45000000000000", "IDR", "", ""},
		{"thousands", "raised $1,250,000 in", "$1,250,000", "1250000", "USD", "", ""},
		{"k", "a GBP 750k round", "GBP 750k", "750000", "GBP", "", ""},
		{"thousand word", "a $750 thousand check", "$750 thousand", "750000", "USD", "", ""},
		{"trillion tn", "could be worth $1.2tn by", "$1.2tn", "1200000000000", "USD", "", ""},
		{"spelled", "raised two billion dollars in", "two billion dollars", "2000000000", "USD", "", ""},
		{"quarter", "a quarter of a billion dollars", "a quarter of a billion dollars", "250000000", "USD", "", ""},
		{"and a half", "one and a half million pounds", "one and a half million pounds", "1500000", "GBP", "", ""},
		{"hyphen tens", "Eighty-five million dollars buys", "Eighty-five million dollars", "85000000", "USD", "", ""},
		{"hundred", "three hundred million euros", "three hundred million euros", "300000000", "EUR", "", ""},
		{"qualifier nearly", "has raised nearly $30 million", "$30 million", "30000000", "USD", "nearly", ""},
		{"qualifier more than", "more than $14 billion", "$14 billion", "14000000000", "USD", "more than", ""},
		{"qualifier up to", "up to $250 million in debt", "$250 million", "250000000", "USD", "up to", ""},
		{"qualifier north of", "north of $200 million", "$200 million", "200000000", "USD", "north of", ""},
		{"qualifier estimated", "an estimated $190 billion", "$190 billion", "190000000000", "USD", "estimated", ""},
		{"range dash", "raise $5-10 million", "$5-10 million", "5000000", "USD", "", "10000000"},
		{"range to", "checks of $500k to $3m", "$500k to $3m", "500000", "USD", "", "3000000"},
		{"range between", "between $20 million and $25 million", "$20 million and $25 million", "20000000", "USD", "", "25000000"},
		{"range band", "a price band of ₹310-326 per share", "₹310-326", "310", "INR", "", "326"},
		{"nbsp grouping", "raised €1\u00a0200\u00a0000 from", "€1\u00a0200\u00a0000", "1200000", "EUR", "", ""},
		{"won", "raised 30 billion won", "30 billion won", "30000000000", "KRW", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, d, ok := firstMoney(t, tt.in)
			if !ok {
				t.Fatalf("no money in %q", tt.in)
			}
			m := d.toMoney(h)
			if m.Text != tt.text || m.Value.String() != tt.value || m.Currency != tt.currency || m.Qualifier != tt.qualifier {
				t.Errorf("money(%q) = %q %s %s q=%q, want %q %s %s q=%q", tt.in, m.Text, m.Value.String(), m.Currency, m.Qualifier, tt.text, tt.value, tt.currency, tt.qualifier)
			}
			gotMax := ""
			if m.Max != nil {
				gotMax = m.Max.String()
			}
			if gotMax != tt.max {
				t.Errorf("money(%q) max = %q, want %q", tt.in, gotMax, tt.max)
			}
			if tt.in[m.Span.Start:m.Span.End] != m.Text {
				t.Errorf("span %v does not match text %q", m.Span, m.Text)
			}
		})
	}
}

func TestNotMoney(t *testing.T) {
	for _, in := range []string{
		"The company has 40 million users.",
		"It grew 18% to 2,026 customers in 2026.",
		"Call (614) 555-0188 or visit Room 2026.",
		"The Xbox Series X sold one million units.",
		"Sales rose 4% to 6%.",
	} {
		if h, d, ok := firstMoney(t, in); ok {
			t.Errorf("money in %q: %q", in, d.toMoney(h).Text)
		}
	}
}

func TestPower(t *testing.T) {
	tests := []struct {
		in, text, watts string
		energy          bool
	}{
		{"a 1.2GW campus", "1.2GW", "1200000000", false},
		{"deliver 300 MW of IT capacity", "300 MW", "300000000", false},
		{"its first 70-megawatt plant", "70-megawatt", "70000000", false},
		{"12 gigawatts of projects", "12 gigawatts", "12000000000", false},
		{"store 1.6 GWh of heat", "1.6 GWh", "1600000000", true},
		{"160,000 megawatt-hours a year", "160,000 megawatt-hours", "160000000000", true},
		{"a 5 kW inverter", "5 kW", "5000", false},
		{"deploys its first gigawatt of systems", "first gigawatt", "1000000000", false},
		{"5.1 gigawatt-hours of batteries", "5.1 gigawatt-hours", "5100000000", true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			d := newDoc(tt.in, loadVocab())
			for i := range d.toks {
				if h, _, ok := d.power(i); ok {
					s, e := d.spanOf(h.ti, h.tj)
					if got := tt.in[s:e]; got != tt.text || h.value.String() != tt.watts || h.energy != tt.energy {
						t.Errorf("power(%q) = %q %s energy=%v, want %q %s energy=%v", tt.in, got, h.value.String(), h.energy, tt.text, tt.watts, tt.energy)
					}
					return
				}
			}
			t.Fatalf("no power figure in %q", tt.in)
		})
	}
}
