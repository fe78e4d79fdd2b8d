package extract

import (
	"strings"
	"testing"
)

// casesDealsWireAndReleases are the cases of TestDealsWireAndReleases.
var casesDealsWireAndReleases = []namedDealCase{
	{"wire dateline",
		"SAN FRANCISCO, Jan 5 (Reuters) - Corvane Inc said on Tuesday it raised $100 million in a funding round led by General Catalyst.",
		[]string{"Corvane Inc | unknown | $100 million | - | General Catalyst* | "}},
	{"boilerplate backers are not this round's",
		"Quillfeather today announced a $9 million seed round led by Initialized Capital.\nAbout Quillfeather\nQuillfeather builds grading tools for teachers. The company is backed by Sequoia Capital and Accel.",
		[]string{"Quillfeather | seed | $9 million | - | Initialized Capital* | "}},
	{"participation sentence",
		"Dovetail Bio raised $30 million in Series A financing led by Polaris Partners. The round also saw participation from Alexandria Venture Investments.",
		[]string{"Dovetail Bio | series a | $30 million | - | Alexandria Venture Investments, Polaris Partners* | "}},
	{"total raised sentence",
		"Crestline raised $25 million in a Series B led by Battery Ventures. It has now raised a total of $75 million.",
		[]string{"Crestline | series b | $25 million | - | Battery Ventures* | "}},
	{"prior round led by",
		"Marlin Data raised $15 million in a Series A led by Amplify Partners. Its seed round was led by Y Combinator in 2022.",
		[]string{"Marlin Data | series a | $15 million | - | Amplify Partners* | "}},
	{"combination of equity and debt",
		"Gantry Homes raised $300 million through a combination of equity and debt, including a $100 million Series C led by Fifth Wall.",
		[]string{"Gantry Homes | series c | $100 million | - | Fifth Wall* | "}},
}

// TestDealsWireAndReleases covers wire-story datelines and press-release
// boilerplate.
func TestDealsWireAndReleases(t *testing.T) {
	checkNamedDeals(t, casesDealsWireAndReleases)
}

var casesAngelTitles = []dealCase{
	{"Ossify raised $3 million in seed funding from angel investors including Stripe co-founder John Collison and former Google CEO Eric Schmidt.",
		"Ossify | seed | $3 million | - | Eric Schmidt, John Collison | "},
	{"Competitor Brightline raised $50 million in March, and Tollhouse has now raised $20 million in a Series A led by Accel.",
		"Tollhouse | series a | $20 million | - | Accel* | "},
}

func TestAngelTitles(t *testing.T) {
	checkDealCases(t, casesAngelTitles)
}

var casesCompanyAndNumberForms = []dealCase{
	{"The Austin-based startup Quarrel has raised $8 million in seed funding.", "Quarrel | seed | $8 million | - |  | "},
	{"iFarmly raised $14 million in a Series A led by Omnivore.", "iFarmly | series a | $14 million | - | Omnivore* | "},
	{"Toronto's Maplewise closed a $50-million Series B led by Georgian.", "Maplewise | series b | $50-million | - | Georgian* | "},
}

func TestCompanyAndNumberForms(t *testing.T) {
	checkDealCases(t, casesCompanyAndNumberForms)
}

func TestWhichLedTheRound(t *testing.T) {
	in := `Parcelgrid has raised $22 million. "We saw the demand early," said Ana Ruiz, a partner at Union Square Ventures, which led the round.`
	want := "Parcelgrid | unknown | $22 million | - | Union Square Ventures* | "
	checkDeals(t, in, want)
}

func TestBackersInRelativeClause(t *testing.T) {
	in := "Glowfin, which is backed by SoftBank, said it raised $100 million from investors including Sequoia Capital and the Qatar Investment Authority."
	want := "Glowfin | unknown | $100 million | - | Qatar Investment Authority, Sequoia Capital | "
	checkDeals(t, in, want)
}

var casesRoundWithoutFigure = []dealCase{
	{"Brindle Labs has closed a Series A led by Accel. Terms were not disclosed.", "Brindle Labs | series a | - | - | Accel* | "},
	{"Brindle Labs, which closed a Series A in 2023, makes kitchen robots.", ""},
	{"Lisbon's median Series A grew to €12 million last year.", ""},
}

func TestRoundWithoutFigure(t *testing.T) {
	checkDealCases(t, casesRoundWithoutFigure)
}

var casesLeadBeforeCompany = []dealCase{
	{"Accel led Fernbrook's $20 million Series A, joined by Index Ventures and Sequoia Capital.", "Fernbrook | series a | $20 million | - | Accel*, Index Ventures, Sequoia Capital | "},
	{"Quantum startup Qubitra raised $15 million. The round was led by Lux Capital, with Index Ventures, Sequoia and others participating.", "Qubitra | unknown | $15 million | - | Index Ventures, Lux Capital*, Sequoia | "},
}

func TestLeadBeforeCompany(t *testing.T) {
	checkDealCases(t, casesLeadBeforeCompany)
}

var casesMoreNewsForms = []dealCase{
	{"Fintech Brexa secures $300M in debt financing from Barclays and Citi.", "Brexa | debt | $300M | - | Barclays, Citi | "},
	{"Mistrel AI has raised €1.7 billion in a Series C led by ASML, which invested €1.3 billion.", "Mistrel AI | series c | €1.7 billion | - | ASML*=€1.3 billion | "},
	{"Revolta said it had completed a $1 billion secondary share sale that values it at $75 billion.", ""},
	{"Figmo's IPO raised $1.2 billion on Thursday.", "Figmo | ipo | $1.2 billion | - |  | "},
	{"The startup, Nuvola, raised $5 million from Sequoia.", "Nuvola | unknown | $5 million | - | Sequoia | "},
	{"Paris-based Alan raised €173 million in a Series F led by Teachers' Venture Growth.", "Alan | series f | €173 million | - | Teachers' Venture Growth* | "},
}

func TestMoreNewsForms(t *testing.T) {
	checkDealCases(t, casesMoreNewsForms)
}

// notDeals are sentences with money and no deal.
var notDeals = []string{
	"Amazon will invest $10 billion in Ohio to build data centers.",
	"Apple agreed to pay $500 million to settle a lawsuit over battery throttling.",
	"The company was fined $20 million by regulators.",
	"The startup's losses widened to $30 million last quarter.",
	"Netflix spent $17 billion on content.",
	"Tesla shares fell 5% after the company reported a $1.2 billion loss.",
	"The city council approved a $50 million budget for road repairs.",
}

func TestNotDeals(t *testing.T) {
	for _, in := range notDeals {
		if x := Extract(in); len(x.Deals) > 0 {
			t.Errorf("Extract(%q) found deals: %s", in, dealLine(x.Deals[0]))
		}
	}
}

func TestStatistics(t *testing.T) {
	in := "AI startups raised $30 billion in the third quarter, according to PitchBook data."
	if x := Extract(in); len(x.Deals) > 0 {
		t.Errorf("Extract(%q) found deals: %s", in, dealLine(x.Deals[0]))
	}
}

func TestGrantTo(t *testing.T) {
	in := "The Department of Energy awarded $5 million to Heliox Materials to scale up its electrolyzer membranes."
	want := "Heliox Materials | grant | $5 million | - | Department of Energy | "
	checkDeals(t, in, want)
}

var casesFundsIPOsAcquisitions = []dealCase{
	{"Klarno priced its IPO at $40 per share, raising $1.37 billion.", "Klarno | ipo | $1.37 billion | - |  | "},
	{"Sequoia Capital raised $195 million for two seed funds.", "Sequoia Capital | fund | $195 million | - |  | "},
	{"Google completed its $32 billion acquisition of Wizz, the cloud security company.", "Wizz | acquisition | $32 billion | - |  | "},
	{"Energy storage developer Fluence Grid secured a $400 million revolving credit facility from a syndicate of banks led by JPMorgan Chase.", "Fluence Grid | debt | $400 million | - | JPMorgan Chase* | "},
}

func TestFundsIPOsAcquisitions(t *testing.T) {
	checkDealCases(t, casesFundsIPOsAcquisitions)
}

// TestMetaLabelLine: a line opening with a two-word label and a colon
// ("Firms mentioned:") is page metadata, its names no candidates;
// a label that is a cue ("Backed by:") is text.
func TestMetaLabelLine(t *testing.T) {
	for _, c := range []struct {
		in    string
		noise bool
	}{
		{"Quarrywell raises $12 million\nFirms mentioned: Harbor Peak, Lindenfield Capital\nQuarrywell raised $12 million.", true},
		{"Quarrywell raises $12 million\nRelated topics: robotics, mining\nQuarrywell raised $12 million.", true},
		{"Quarrywell raises $12 million\nBacked by: Harbor Peak, Lindenfield Capital\nQuarrywell raised $12 million.", false},
		{"Quarrywell raises $12 million\nHarbor Peak said: we are pleased.\nQuarrywell raised $12 million.", false},
	} {
		d := newDoc(c.in, loadVocab())
		line := strings.Index(c.in, "\n") + 1
		got := false
		for _, sn := range d.sents {
			if int(d.toks[sn.s].start) == line {
				got = sn.noise
			}
		}
		d.release()
		if got != c.noise {
			t.Errorf("%q: second line noise = %v, want %v", c.in, got, c.noise)
		}
	}
}
