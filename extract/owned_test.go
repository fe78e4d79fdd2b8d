package extract

import "testing"

func TestOwnedName(t *testing.T) {
	for _, c := range []struct {
		in, want string
		ok       bool
	}{
		{"Marta Quist’s Juniper Lane Capital", "Juniper Lane Capital", true},
		{"Harbour Lines’ Blue Water Fund", "Blue Water Fund", true},
		{"Bank of Orvane's Orvane International", "Orvane International", true},
		{"Founders’ Co-op", "Co-op", true},
		{"Macy's", "", false},          // nothing owned
		{"Rowe's fund", "", false},     // the owned word is no name
		{"Sequoia Capital", "", false}, // no owner
	} {
		got, ok := ownedName(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("ownedName(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

// An investor written with its owner keeps that surface name, takes the
// owned name as its canonical name, and absorbs the same investor named
// without the owner.
func TestOwnedInvestorMerged(t *testing.T) {
	text := "Fernhollow Robotics raised $12 million in a round led by Marta Quist’s Juniper Lane Capital. " +
		"Juniper Lane Capital was joined by Oldmill Ventures."
	ex := Extract(text)
	if len(ex.Deals) != 1 {
		t.Fatalf("%d deals, want 1: %+v", len(ex.Deals), ex.Deals)
	}
	n := 0
	for _, iv := range ex.Deals[0].Investors {
		if iv.Canonical == "Juniper Lane Capital" {
			n++
			if iv.Name != "Marta Quist’s Juniper Lane Capital" || !iv.Lead {
				t.Errorf("investor %+v, want the owner's form, lead", iv)
			}
		}
	}
	if n != 1 {
		t.Errorf("investors %+v, want Juniper Lane Capital once", ex.Deals[0].Investors)
	}
}
