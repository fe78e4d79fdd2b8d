package extract

import (
	"math"
	"strings"
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
		{"lakh crore", "a ₹1.2 lakh crore package", "₹1.2 lakh crore", "1200000000000", "INR", "", ""},

		// German.
		{"de millionen euro", "Das Start-up hat 4 Millionen Euro eingesammelt.", "4 Millionen Euro", "4000000", "EUR", "", ""},
		{"de milliarden dollar", "eine Runde über 1,2 Milliarden Dollar", "1,2 Milliarden Dollar", "1200000000", "USD", "", ""},
		{"de mio euro sign", "Sie erhielt 12 Mio. € von zwei Fonds.", "12 Mio. €", "12000000", "EUR", "", ""},
		{"de mio euro word", "Sie erhielt 12 Mio. Euro von zwei Fonds.", "12 Mio. Euro", "12000000", "EUR", "", ""},
		{"de us-dollar", "Die Firma bekam 82 Millionen US-Dollar.", "82 Millionen US-Dollar", "82000000", "USD", "", ""},
		{"de franken", "Das Zürcher Team holte 6,5 Millionen Franken.", "6,5 Millionen Franken", "6500000", "CHF", "", ""},
		{"de eine milliarde", "Man will fast eine Milliarde Dollar aufnehmen.", "eine Milliarde Dollar", "1000000000", "USD", "nearly", ""},
		{"de vier millionen", "Der Fonds steckte vier Millionen Euro in die Firma.", "vier Millionen Euro", "4000000", "EUR", "", ""},
		{"de drei millionen", "insgesamt drei Millionen Euro für die Plattform", "drei Millionen Euro", "3000000", "EUR", "", ""},
		{"de dot thousands", "Der Zuschuss betrug 213.000 Euro.", "213.000 Euro", "213000", "EUR", "", ""},
		{"de dot thousands scale", "ein Kredit über 1.500 Millionen Euro", "1.500 Millionen Euro", "1500000000", "EUR", "", ""},
		{"de three decimals", "zusammen 9,488 Millionen Euro", "9,488 Millionen Euro", "9488000", "EUR", "", ""},
		{"de von über", "ein Volumen von über 3 Mio. Euro", "3 Mio. Euro", "3000000", "EUR", "more than", ""},
		{"de rund", "steckte rund 2,7 Millionen Euro in die Firma", "2,7 Millionen Euro", "2700000", "EUR", "around", ""},
		{"es más de", "captaron más de 1.000 millones de dólares", "1.000 millones de dólares", "1000000000", "USD", "more than", ""},
		{"de tausend", "ein Preisgeld von 50 Tausend Euro", "50 Tausend Euro", "50000", "EUR", "", ""},

		// French.
		{"fr millions d’euros", "La société lève 5 millions d’euros auprès de deux fonds.", "5 millions d’euros", "5000000", "EUR", "", ""},
		{"fr millions d'euros", "elle a levé 450 millions d'euros", "450 millions d'euros", "450000000", "EUR", "", ""},
		{"fr milliards", "une levée de 3,2 milliards d’euros", "3,2 milliards d’euros", "3200000000", "EUR", "", ""},
		{"fr milliards de dollars", "une cagnotte de 2,5 milliards de dollars", "2,5 milliards de dollars", "2500000000", "USD", "", ""},
		{"fr six millions", "un tour de six millions de dollars", "six millions de dollars", "6000000", "USD", "", ""},
		{"fr un milliard", "un plan d’un milliard d’euros", "un milliard d’euros", "1000000000", "EUR", "", ""},
		{"fr glued", "elle obtient plus de 12millions d’euros", "12millions d’euros", "12000000", "EUR", "more than", ""},
		{"fr capital Euros", "une levée de 7 millions d’Euros", "7 millions d’Euros", "7000000", "EUR", "", ""},
		{"fr M€", "une levée de 15 M€ en série A", "15 M€", "15000000", "EUR", "", ""},
		{"fr Md€", "un fonds de 2 Md€", "2 Md€", "2000000000", "EUR", "", ""},
		{"fr mille dollars", "un chèque de 150 mille dollars", "150 mille dollars", "150000", "USD", "", ""},

		// Spanish.
		{"es millones de euros", "La ronda ascendió a 115 millones de euros.", "115 millones de euros", "115000000", "EUR", "", ""},
		{"es millones de dólares", "una inversión por 300 millones de dólares", "300 millones de dólares", "300000000", "USD", "", ""},
		{"es dollar sign", "Pomelo consigue $55 millones para crecer", "$55 millones", "55000000", "USD", "", ""},
		{"es USD $", "un crédito por USD $55 millones en deuda", "USD $55 millones", "55000000", "USD", "", ""},
		{"es capital Millones", "con 108 Millones de dólares en financiamiento", "108 Millones de dólares", "108000000", "USD", "", ""},
		{"es mil millones", "una valoración de US$ 5 mil millones", "US$ 5 mil millones", "5000000000", "USD", "", ""},
		{"es dot thousands", "una compra por 1.500 millones de euros", "1.500 millones de euros", "1500000000", "EUR", "", ""},
		{"es comma thousands", "un fondo de USD1,000 millones", "USD1,000 millones", "1000000000", "USD", "", ""},
		{"es un millón", "un premio de un millón de euros", "un millón de euros", "1000000", "EUR", "", ""},

		// Portuguese.
		{"pt milhões de dólares", "angariou um total de 30 milhões de dólares", "30 milhões de dólares", "30000000", "USD", "", ""},
		{"pt R$ bilhão", "um financiamento de R$ 1,5 bilhão", "R$ 1,5 bilhão", "1500000000", "BRL", "", ""},
		{"pt R$ bilhões", "investimentos de R$ 4,8 bilhões", "R$ 4,8 bilhões", "4800000000", "BRL", "", ""},
		{"pt US$ space", "levantou US$ 50 milhões em série B", "US$ 50 milhões", "50000000", "USD", "", ""},
		{"pt euro sign", "cerca de €6 milhões ao câmbio", "€6 milhões", "6000000", "EUR", "about", ""},
		{"pt mil", "um aporte de R$ 500 mil", "R$ 500 mil", "500000", "BRL", "", ""},
		{"pt mi", "com R$ 10 mi em caixa", "R$ 10 mi", "10000000", "BRL", "", ""},
		{"pt reais", "um aporte de 20 milhões de reais", "20 milhões de reais", "20000000", "BRL", "", ""},

		// Italian.
		{"it milioni di euro", "un aumento di capitale da 7,3 milioni di euro", "7,3 milioni di euro", "7300000", "EUR", "", ""},
		{"it milioni di dollari", "un prestito di 92,6 milioni di dollari", "92,6 milioni di dollari", "92600000", "USD", "", ""},
		{"it code after link", "una quota per 120,5 milioni di CNY", "120,5 milioni di CNY", "120500000", "CNY", "", ""},
		{"it mila", "un premio di 250mila euro", "250mila euro", "250000", "EUR", "", ""},

		// Swedish, Norwegian, Dutch.
		{"sv miljarder kronor", "Bolaget tog in 4,3 miljarder kronor.", "4,3 miljarder kronor", "4300000000", "SEK", "", ""},
		{"sv miljarder dollar", "en affär värd 17,9 miljarder dollar", "17,9 miljarder dollar", "17900000000", "USD", "", ""},
		{"no millioner pund", "Selskapet vil hente 300 millioner pund i en emisjon.", "300 millioner pund", "300000000", "GBP", "", ""},
		{"no kroner oslo", "Et selskap i Oslo hentet 2 milliarder kroner.", "2 milliarder kroner", "2000000000", "NOK", "", ""},
		{"nl miljoen euro", "De startup haalde 4 miljoen euro op.", "4 miljoen euro", "4000000", "EUR", "", ""},
		{"nl code miljard", "een belang voor CNY 1,1 miljard", "CNY 1,1 miljard", "1100000000", "CNY", "", ""},

		// Glued and odd forms.
		{"Eu glued", "closed as Eu250 million in debt", "Eu250 million", "250000000", "EUR", "", ""},
		{"code hyphen", "it had closed a EUR-400-million financing", "EUR-400-million", "400000000", "EUR", "", ""},
		{"code hyphen gbp", "secured a GBP-95-million debt facility", "GBP-95-million", "95000000", "GBP", "", ""},
		{"AUD$", "the company's AUD$12 million capital raising", "AUD$12 million", "12000000", "AUD", "", ""},
		{"USD$", "a further USD$148 million will follow", "USD$148 million", "148000000", "USD", "", ""},
		{"trailing code", "Acme closes $2.4M CAD seed round", "$2.4M CAD", "2400000", "CAD", "", ""},
		{"trailing usd", "a $5 million USD round", "$5 million USD", "5000000", "USD", "", ""},
		{"US space $", "closed a US $35 million Series C", "US $35 million", "35000000", "USD", "", ""},
		{"U.S.$", "notes worth U.S.$250 million", "U.S.$250 million", "250000000", "USD", "", ""},
		{"Rp dot", "a loan of Rp. 5 trillion", "Rp. 5 trillion", "5000000000000", "IDR", "", ""},

		// Dirhams and shillings.
		{"MDH", "une levée de près de 2,6 MDH auprès du fonds", "2,6 MDH", "2600000", "MAD", "nearly", ""},
		{"MMDH", "un programme de 1,5 MMDH", "1,5 MMDH", "1500000000", "MAD", "", ""},
		{"moroccan dirhams", "about 1.5 billion Moroccan dirhams will be mobilised", "1.5 billion Moroccan dirhams", "1500000000", "MAD", "about", ""},
		{"dirhams dubai", "The Dubai developer raised 400 million dirhams.", "400 million dirhams", "400000000", "AED", "", ""},
		{"dirhams casablanca", "The Casablanca startup raised 40 million dirhams.", "40 million dirhams", "40000000", "MAD", "", ""},
		{"shillings kenya", "A Kenya solar firm secured 8.3 billion shillings to expand.", "8.3 billion shillings", "8300000000", "KES", "", ""},
		{"shillings uganda", "The Kampala lender got 20 billion shillings.", "20 billion shillings", "20000000000", "UGX", "", ""},
		{"kenyan shillings", "a grant of 50 million Kenyan shillings", "50 million Kenyan shillings", "50000000", "KES", "", ""},
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
		"La ville compte 2 millions d’habitants.",
		"Die App hat 40 Millionen Nutzer.",
		"La app suma 5 millones de descargas.",
		"Die Firma hat 82 Millionen gezählt.", // no amount before it to take a currency from
		"Rund 5 Millionen Besucher kamen.",
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
		// A lone dot before three digits groups thousands only in a text
		// that writes decimal commas or dot-grouped numbers elsewhere.
		{"a 1.500 MW park and 2,5 GW in planning", "1.500 MW", "1500000000", false},
		{"o parque de 1.500 MW custa R$ 2.300.000", "1.500 MW", "1500000000", false},
		{"a 1.500 MW engine test rig", "1.500 MW", "1500000", false},
		{"a 1.500 MW rig in a $3,50,00,000 plan", "1.500 MW", "1500000", false},
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

func TestParseNumberAs(t *testing.T) {
	both := dotGroups | commaDecimal
	tests := []struct {
		in   string
		how  int
		want string
	}{
		{"213.000", dotGroups, "213000"},
		{"1.5", dotGroups, "1.5"},
		{"1.25", dotGroups, "1.25"},
		{"0.923", dotGroups, "0.923"}, // an exchange rate, not 923
		{"1,250", dotGroups, "1250"},
		{"1.500", both, "1500"},
		{"9,488", both, "9.488"},
		{"1,000", both, "1000"}, // a decimal has no trailing zero
		{"1,5", both, "1.5"},
		{"479,45", both, "479.45"},
		{"1.250.000", both, "1250000"},
		{"1.250.000,5", both, "1250000.5"},
		{"1,250", 0, "1250"},
		{"1.250", 0, "1.25"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := parseNumberAs(tt.in, tt.how)
			if !ok || got.String() != tt.want {
				t.Errorf("parseNumberAs(%q, %d) = %s %v, want %s", tt.in, tt.how, got.String(), ok, tt.want)
			}
		})
	}
}

// allMoney returns the text and currency of every amount the scan finds.
func allMoney(t *testing.T, text string) []string {
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
		out = append(out, m.Text+" "+m.Value.String()+" "+m.Currency)
	}
	return out
}

// TestMoneyInText checks amounts that depend on the text around them: the
// currency of the context, and the words that must stay out of a span.
func TestMoneyInText(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"context currency de", "Die Firma sammelte 35 Millionen Euro ein. Gar 82 Millionen gab es für ein anderes Start-up und 100 Millionen für ein drittes.",
			[]string{"35 Millionen Euro 35000000 EUR", "82 Millionen 82000000 EUR", "100 Millionen 100000000 EUR"}},
		{"context currency fr", "La moyenne atteint 3,3 millions d’euros et la médiane 2,5 millions. Avec 9,3 millions levés, Acme arrive en tête.",
			[]string{"3,3 millions d’euros 3300000 EUR", "2,5 millions 2500000 EUR", "9,3 millions 9300000 EUR"}},
		{"context currency chf", "Acme erhielt 6 Millionen Franken. Beta bekam 1,3 Millionen.",
			[]string{"6 Millionen Franken 6000000 CHF", "1,3 Millionen 1300000 CHF"}},
		{"headline takes the currency of the text below", "Acme obtiene 140 millones para tres plantas\n\nAcme ha cerrado un préstamo de 140 millones de euros.",
			[]string{"140 millones 140000000 EUR", "140 millones de euros 140000000 EUR"}},
		{"a sentence takes no currency from the text after it", "La médiane atteint 2,5 millions. Acme a levé 5 millions d’euros.",
			[]string{"5 millions d’euros 5000000 EUR"}},
		{"capitalised noun is a count", "Acme sammelte 5 Millionen Euro ein und hat 40 Millionen Nutzer.",
			[]string{"5 Millionen Euro 5000000 EUR"}},
		{"linked noun is a count", "Acme a levé 5 millions d’euros et compte 2 millions d’utilisateurs.",
			[]string{"5 millions d’euros 5000000 EUR"}},
		{"english million is a count", "Acme raised $5 million and has 40 million users.",
			[]string{"$5 million 5000000 USD"}},
		{"pronoun us", "They gave us $5 million last year.",
			[]string{"$5 million 5000000 USD"}},
		{"code opens the next figure", "the first 4 million of USD 10 million was paid",
			[]string{"USD 10 million 10000000 USD"}},
		{"code after figure opens the next", "a $5 million USD 3 million deal",
			[]string{"$5 million 5000000 USD", "USD 3 million 3000000 USD"}},
		{"exchange rate keeps decimals", "The rate was USD 1.073 per euro.",
			[]string{"USD 1.073 1.073 USD"}},
		{"pt between", "avaliará a empresa entre US$ 13 bilhões e US$ 14 bilhões",
			[]string{"US$ 13 bilhões 13000000000 USD", "US$ 14 bilhões 14000000000 USD"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := allMoney(t, tt.in)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("money in %q:\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

// FuzzNumberReadings checks that every reading of separators parses
// without panic to a finite non-negative value.
func FuzzNumberReadings(f *testing.F) {
	for _, s := range []string{"213.000", "9,488", "1,000", "0.923", "1.250.000,5", "1,", ".000", "0,000"} {
		f.Add(s, uint8(3))
	}
	f.Fuzz(func(t *testing.T, s string, how uint8) {
		d, ok := parseNumberAs(s, int(how&3))
		if !ok {
			return
		}
		if v := d.Float64(); math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			t.Fatalf("parseNumberAs(%q, %d) = %v", s, how&3, d)
		}
	})
}
