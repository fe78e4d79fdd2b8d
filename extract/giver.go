package extract

// receiverOfGiver gives deal db the receiver its sentence names when the
// company decided for it is the subject of a giving verb there
// (words/rules_side.tsv: "Tollhaus doubles down on game studio Brindle
// with $90M", "Norbank finances the Crucible park with €60 million",
// "Harwick-backed Brindle"): the giver is the lender, the investor or the
// buyer, never the deal's company, and the receiver is the first name
// after it that stands as a giving verb's object or after its preposition
// ([sideVerbs.before]). The name model believes both about equally
// (extract/README.md, extract-33), so the sentence's verbs decide.
func (d *doc) receiverOfGiver(a *analysis, db *dealB, inSent [][]int) {
	if db.company == "" || db.sent < 0 || db.sent >= len(d.sents) || db.sent >= len(inSent) {
		return
	}
	sn := d.sents[db.sent]
	if d.sideVerb == nil {
		d.indexSideVerbs()
	}
	sv := sideVerbs{d: d, lo: sn.s, head: sn.headline}
	ck := d.normName(db.company)
	giver, mod := d.giverAt(a, sv, ck, inSent[db.sent], sn)
	if giver < 0 || db.amt >= 0 && db.amt < len(a.amts) && a.amts[db.amt].h.qi < giver {
		return // the giver opens the deal's clause; one after the figure gives what comes next ("a loan to Brindle to finance a plant")
	}
	best := nameRef{s: -1}
	for _, x := range inSent[db.sent] {
		key := a.keys[x].key
		if key == ck || keysMatch(key, ck) || d.partyOf(db, key) {
			continue
		}
		for _, i := range a.keys[x].occ {
			r := a.names[i].r
			if r.s < giver || r.e > sn.e || best.s >= 0 && r.s >= best.s || d.inAmount(r.s) || d.toks[r.s].kind == tkNumber {
				continue
			}
			if v := sv.before(r.s); v == sideObjGive || v == sideToGive || mod && v == sideModObj {
				best = r
			}
		}
	}
	if best.s < 0 {
		return
	}
	name := d.nameText(d.cutDescriptor(best))
	if d.misreadTarget(a, name) {
		return
	}
	db.company, db.companyAt, db.companyK = name, best.s, ""
}

// giverAt is the end of the occurrence in sentence sn of the name keyed
// ck that is the subject of a giving verb there, -1 when there is none;
// mod says the verb is glued to it as a modifier ("Harwick-backed").
func (d *doc) giverAt(a *analysis, sv sideVerbs, ck string, keys []int, sn sentence) (int, bool) {
	for _, x := range keys {
		if a.keys[x].key != ck {
			continue
		}
		for _, i := range a.keys[x].occ {
			r := a.names[i].r
			if r.s < sn.s || r.e > sn.e {
				continue
			}
			if ok, mod := d.givingVerbAfter(sv, r.e, sn.e); ok {
				return r.e, mod
			}
		}
	}
	return -1, false
}

// givingVerbAfter reports a giving verb right after a name ending before
// token e, over a bracket and the words that may stand between a name and
// its verb (`investors.aux`: "Alder has also backed"), and whether a hyphen
// glues it to the name ("Alder-backed"). Other words end the search: the
// name only describes the verb's subject ("Brindle shareholders approved
// the sale").
func (d *doc) givingVerbAfter(sv sideVerbs, e, hi int) (bool, bool) {
	for j := e; j < min(hi, e+sideScan); j++ {
		if c, _ := sv.at(j); c == verbGive {
			return true, j > e && d.is(j-1, "-")
		}
		switch {
		case d.is(j, "("):
			for j < min(hi, e+sideScan) && !d.is(j, ")") {
				j++
			}
		case d.is(j, "-"):
		case d.toks[j].kind == tkWord && !d.isCap(j) && d.in("investors.aux", j):
		default:
			return false, false
		}
	}
	return false, false
}
