package extract

import (
	"testing"
)

// casesDealsNewsStyle are the cases of TestDealsNewsStyle.
var casesDealsNewsStyle = []namedDealCase{
	{"blog post attribution",
		"Paystream has raised $200 million in a Series C round, the company said in a blog post on Thursday. The round was led by Sequoia Capital, with participation from Tiger Global and existing investors.",
		[]string{"Paystream | series c | $200 million | - | Sequoia Capital*, Tiger Global | "}},
	{"investors include sentence",
		"NeuroLoom has raised $12 million in seed funding, it announced Wednesday. Investors include Khosla Ventures, Kindred Ventures and angel investors including Elad Gil.",
		[]string{"NeuroLoom | seed | $12 million | - | Elad Gil, Khosla Ventures, Kindred Ventures | "}},
	{"investors in the round include",
		"Cleoware, which helps users manage their finances, announced it has secured £35m in Series B funding. Investors in the round include Greylock, Accel and Founders Fund.",
		[]string{"Cleoware | series b | £35m | - | Accel, Founders Fund, Greylock | "}},
	{"bitcoin price",
		"Bitcoin rose above $70,000 on Monday before falling back to $68,500.",
		nil},
	{"valuation in a later sentence",
		"Harbor Robotics raised $80 million in a Series C led by Lightspeed. The company is now valued at $3 billion, according to a person familiar with the matter.",
		[]string{"Harbor Robotics | series c | $80 million | $3 billion unspecified | Lightspeed* | "}},
	{"series extension",
		"Redbird Aerospace closed a $55 million Series B extension led by Lockheed Martin Ventures.",
		[]string{"Redbird Aerospace | series b | $55 million | - | Lockheed Martin Ventures* | "}},
	{"pre-seed from",
		"Mirra Health raised $4.5 million in pre-seed funding from Precursor Ventures and Hustle Fund.",
		[]string{"Mirra Health | pre-seed | $4.5 million | - | Hustle Fund, Precursor Ventures | "}},
	{"growth equity initials",
		"Arcadia Grid secured $125 million in growth equity from J.P. Morgan Asset Management.",
		[]string{"Arcadia Grid | growth | $125 million | - | J.P. Morgan Asset Management | "}},
	{"relative valuation and co-lead",
		"Tessera Labs has raised $90 million. The funding, which values the startup at $750 million, was co-led by Insight Partners and Tiger Global.",
		[]string{"Tessera Labs | unknown | $90 million | $750 million unspecified | Insight Partners*, Tiger Global* | "}},
	{"with participating list",
		"Pinecrest raised $100 million at a $750 million valuation in a round led by Andreessen Horowitz, with ICONIQ Growth, Menlo Ventures and Wing Venture Capital participating.",
		[]string{"Pinecrest | unknown | $100 million | $750 million unspecified | Andreessen Horowitz*, ICONIQ Growth, Menlo Ventures, Wing Venture Capital | "}},
	{"intro prepositional phrase",
		"In a regulatory filing, Rampart disclosed that it raised $150 million.",
		[]string{"Rampart | unknown | $150 million | - |  | "}},
	{"possessive owner before company",
		"Elon Musk's xAI raised $6 billion in a Series B, the company said.",
		[]string{"xAI | series b | $6 billion | - |  | "}},
	{"euro and lead later",
		"Klarsicht, a Munich startup that builds inspection drones, has raised €20 million. Earlybird Venture Capital led the round, joined by Speedinvest.",
		[]string{"Klarsicht | unknown | €20 million | - | Earlybird Venture Capital*, Speedinvest | "}},
	{"debt and equity separately",
		"Voltaic Fleet has raised $40 million in Series B equity led by Energy Impact Partners and secured a $60 million credit facility from Silicon Valley Bank.",
		[]string{"Voltaic Fleet | series b | $40 million | - | Energy Impact Partners* | ", "Voltaic Fleet | debt | $60 million | - | Silicon Valley Bank | "}},
	{"announces headline",
		"Gridline Announces $18 Million Seed Round to Modernize Utility Billing\nGridline, a utility billing platform, today announced an $18 million seed round led by Lerer Hippeau.",
		[]string{"Gridline | seed | $18 Million | - | Lerer Hippeau* | "}},
	{"spending not a raise",
		"Microsoft plans to spend $80 billion on AI data centers this fiscal year, the company said.",
		nil},
	{"last round background",
		"Lumio, which was last valued at $1.2 billion in 2021, has raised $50 million in a down round led by Coatue.",
		[]string{"Lumio | unknown | $50 million | - | Coatue* | "}},
}

// TestDealsNewsStyle holds sentences in the style of wire and trade press
// stories, written for this test.
func TestDealsNewsStyle(t *testing.T) {
	checkNamedDeals(t, casesDealsNewsStyle)
}
