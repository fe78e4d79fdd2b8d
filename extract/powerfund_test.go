package extract

import (
	"slices"
	"testing"
)

// Two power figures joined by a word of power.span_to (with a few words
// after the first when power.span_from opens it) are the ends of a span or
// a change (a range of sites, a pipeline before and after): they are
// marked, and no deal takes them as its capacity however sure the model is;
// figures joined otherwise, or a power figure and an energy figure, are not.
func TestPowerSpans(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		span       []float64 // wattages marked as span ends, in order
		caps       []float64 // the first deal's capacities with every figure believed
	}{
		{"range of sites",
			"Kestrel Solar raised $40 million in debt to build the 120 MW Alder park. Its sites range from 8 MW to 240 MW.",
			[]float64{8e6, 240e6}, []float64{120e6}},
		{"change of a pipeline",
			"Brindle Power bought Quarry Wind for $90 million, growing its pipeline by about 2 GW to 7.5 GW and adding the 80 MW Tollhaus farm.",
			[]float64{2e9, 7.5e9}, []float64{80e6}},
		{"change with its years",
			"Halden Grid secured a $150 million loan to build the 120 MW Brook park. The region's capacity grew from 410 MW in 2020 to 2.2 GW in 2025.",
			[]float64{410e6, 2.2e9}, []float64{120e6}},
		{"german span",
			"Die Corvin Energie erhält 30 Millionen Euro für Windparks von 50 MW bis 80 MW.",
			[]float64{50e6, 80e6}, nil},
		{"list, not a span",
			"Halden Grid secured a $150 million loan to build a 120 MW and a 300 MW solar farm.",
			nil, []float64{120e6, 300e6}},
		{"power beside energy",
			"Halden Grid secured a $150 million loan for a 100 MW to 400 MWh storage site.",
			nil, []float64{100e6}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := newDoc(tc.text, loadVocab())
			defer d.release()
			a := d.analyse()
			var span []float64
			for _, p := range a.powers {
				if p.span {
					span = append(span, p.value.Float64())
				}
			}
			if !slices.Equal(span, tc.span) {
				t.Errorf("span ends %v, want %v", span, tc.span)
			}
			if tc.caps == nil {
				return
			}
			if len(a.deals) == 0 {
				t.Fatal("the rules found no deal; the case needs one")
			}
			believeAllPowers(d, a, 0.9)
			if caps := dealCaps(a, 0); !slices.Equal(caps, tc.caps) {
				t.Errorf("capacities %v, want %v", caps, tc.caps)
			}
		})
	}
}

// A power figure whose clause the rules set in the past (a past opening, a
// past year, an earlier project's cue) is no deal's capacity however sure
// the model is; the plant of the news beside it is, and so is a plant whose
// year is the end of a plan ("parks Kestrel intends to complete around 2027")
// or a deadline ("due to supply 75 MW by the end of 2028"); "by" before a
// name is an agent, not a deadline, and its clause's year stays past.
func TestPowerPast(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		caps       []float64 // the first deal's capacities with every figure believed
	}{
		{"past opening",
			"Kestrel Solar raised $40 million in debt to build the 120 MW Alder park. Three weeks ago, it signed a supply deal for 640 MW.",
			[]float64{120e6}},
		{"past year",
			"Kestrel Solar raised $40 million in debt to build the 120 MW Alder park. It completed the 80 MW Brook farm in 2021.",
			[]float64{120e6}},
		{"earlier project",
			"Kestrel Solar raised $40 million in debt to build the 120 MW Alder park. Its previous 50 MW farm sells power to Brindle.",
			[]float64{120e6}},
		{"plant of the news",
			"Kestrel Solar raised $40 million in debt to build the 120 MW Alder park. The park will add 30 MW of storage.",
			[]float64{120e6, 30e6}},
		{"a year the company intends to build by",
			"Kestrel Solar raised $40 million in debt for its parks. It listed 90 MW of parks that Kestrel intends to complete around 2027.",
			[]float64{90e6}},
		{"a deadline's year after words of its span",
			"Kestrel Solar raised $40 million in debt for its parks. Its Alder plant, which is due to supply 75 MW to the grid by the end of 2028, takes most of it.",
			[]float64{75e6}},
		{"a deadline's year right after the preposition",
			"Kestrel Solar raised $40 million in debt for its parks. Its Alder plant, which is due to supply 75 MW to the grid by 2028, takes most of it.",
			[]float64{75e6}},
		{"an agent before a past year",
			"Kestrel Solar raised $40 million in debt for its parks. Its Alder plant, a 75 MW park bought by Brindle Power in 2021, is not among them.",
			[]float64{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if caps := capsAllBelieved(t, tc.text); !slices.Equal(caps, tc.caps) {
				t.Errorf("capacities %v, want %v", caps, tc.caps)
			}
		})
	}
}

// A power figure of another project of the company, told in a later clause
// that "also" opens, and the two ratings of one part of a larger whole are
// no deal's capacity however sure the model is; "also" in the sentence's
// first clause, a list of plants, and two ratings of the whole itself are.
// A sentence whose first word turns to other deals or projects (a
// roundup's "other recent loans", "Meanwhile, ...") names none of the
// news's plants; "other" later in a sentence says nothing of the kind. A
// developer's next builds and the rest of a fleet left to another buyer are
// no deal's capacity; "next" before a period dates the news's plant.
// Another company's plant after "for instance" is no deal's capacity, nor
// the size a plant is to grow to ("soll auf 250 Megawatt erweitert werden").
func TestPowerOther(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		caps       []float64 // the first deal's capacities with every figure believed
	}{
		{"another project in a relative clause",
			"Kestrel Solar raised $40 million in debt to build the 120 MW Alder park. Kestrel, which is also building the 140 MW Brook site, plans more.",
			[]float64{120e6}},
		{"another project after as",
			"Kestrel Solar raised $40 million in debt to build the 120 MW Alder park, as it also bought into the 90 MW Cobalt farm.",
			[]float64{120e6}},
		{"also in the first clause",
			"Kestrel Solar raised $40 million in debt to build the 120 MW Alder park. The loan also pays for the 30 MW Brook extension.",
			[]float64{120e6, 30e6}},
		{"two ratings of a part",
			"Kestrel Data bought three data halls for $90 million, with 150 MW of power between them. Hall A has 12 MW of IT load and 18 MW of gross capacity.",
			[]float64{150e6}},
		{"two ratings of the whole",
			"Kestrel Data secured a $90 million loan for its Alder campus. The campus has 40 MW of IT load and 60 MW of gross capacity.",
			[]float64{40e6, 60e6}},
		{"list of plants",
			"Kestrel Solar raised $40 million in debt for a 300 MW portfolio: the 120 MW Alder park and the 140 MW Brook park.",
			[]float64{300e6, 120e6, 140e6}},
		{"a sentence of other deals",
			"Kestrel Solar raised $40 million in debt to build the 120 MW Alder park. Other recent loans: $70 million for the 200 MW Brook farm and $55 million for the 90 MW Cobalt farm.",
			[]float64{120e6}},
		{"a sentence opened by meanwhile",
			"Kestrel Solar raised $40 million in debt to build the 120 MW Alder park. Meanwhile, Brindle Power took a final decision on its 60 MW Dune plant.",
			[]float64{120e6}},
		{"a developer's next builds",
			"Kestrel Solar raised $40 million in debt to build the 120 MW Alder park. Kestrel said its next sites will be the 250 MW Dune park and the 310 MW Fenn park.",
			[]float64{120e6}},
		{"the rest of a fleet to another buyer",
			"Kestrel Solar bought 200 MW of Brook's wind parks for $90 million. The remaining 300 MW pass to a second fund.",
			[]float64{200e6}},
		{"a plant online next year",
			"Kestrel Solar raised $40 million in debt for its Alder park, which comes online next year with 120 MW.",
			[]float64{120e6}},
		{"another company's plant as an example",
			"Kestrel Nuclear raised $40 million to design small reactors. Brindle, for instance, is building 300 MW of reactors with Cobalt.",
			nil},
		{"a German growth target",
			"Kestrel Storage erhält 20 Millionen Euro für den Speicher Alder mit 100 Megawatt. Später soll er auf 250 Megawatt erweitert werden.",
			[]float64{100e6}},
		{"other later in the sentence",
			"Kestrel Solar raised $40 million in debt to build the 120 MW Alder park. The other 30 MW of the site is built with the same loan.",
			[]float64{120e6, 30e6}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			caps := capsAllBelieved(t, tc.text)
			slices.Sort(caps)
			want := slices.Clone(tc.caps)
			slices.Sort(want)
			if !slices.Equal(caps, want) {
				t.Errorf("capacities %v, want %v", caps, want)
			}
		})
	}
}

// A power figure the model is sure of opens a deal in a text where no deal
// was found when money moves somewhere in it; a cue whose object is a power
// figure (a tender's award) moves power, not money, and opens none.
func TestPowerOpensDeal(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		opens      bool
	}{
		{"plant financed",
			"Orrin Bank provides the financing for the 100 MW Alder solar park in Kestrel county.", true},
		{"tender award",
			"The grid agency held its solar auction. Brindle Solar bid Rs 2.9 per kWh and was awarded only 100 MW at the Alder park.", false},
		{"award of money beside the plant",
			"The grid agency awarded Brindle Solar a grant for the 100 MW Alder park.", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, a := analyseNoDeal(t, tc.text)
			defer d.release()
			believeAllPowers(d, a, 0.99)
			if got := len(a.deals) > 0; got != tc.opens {
				t.Errorf("deal opened %v, want %v", got, tc.opens)
			}
		})
	}
}

// believeAllPowers has the power model believe every power figure of a at
// p, then lets decidePowers decide.
func believeAllPowers(d *doc, a *analysis, p float64) {
	a.capProb = make([]float64, len(a.powers))
	for i := range a.capProb {
		a.capProb[i] = p
	}
	d.decidePowers(a)
}

// dealCaps returns the capacities of deal k in watts.
func dealCaps(a *analysis, k int) []float64 {
	var caps []float64
	for _, c := range a.deals[k].capacity {
		caps = append(caps, c.value.Float64())
	}
	return caps
}

// capsAllBelieved returns the capacities of the first deal the rules find
// in text when the power model believes every power figure.
func capsAllBelieved(t *testing.T, text string) []float64 {
	t.Helper()
	d := newDoc(text, loadVocab())
	defer d.release()
	a := d.analyse()
	if len(a.deals) == 0 {
		t.Fatal("the rules found no deal; the case needs one")
	}
	believeAllPowers(d, a, 0.9)
	return dealCaps(a, 0)
}

// analyseNoDeal analyses text, in which the case needs the rules to find no
// deal; the caller releases d.
func analyseNoDeal(t *testing.T, text string) (*doc, *analysis) {
	t.Helper()
	d := newDoc(text, loadVocab())
	a := d.analyse()
	if len(a.deals) != 0 {
		d.release()
		t.Fatalf("the rules found %d deals; the case needs none", len(a.deals))
	}
	return d, a
}
