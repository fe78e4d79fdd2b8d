package extract

// openInvestments adds the investments a text tells without a figure, with
// the investor as the subject and the company after the verb ("Alder
// Capital invested in robotics startup Brindle", "Alder has made an
// investment in Brindle", a digest's "Alder backs Brindle and Cobalt"):
// a sentence with no figure whose investing phrase (investmentNoFigure)
// names both is a deal of each company named, with the subject as its
// investor, unless a deal already names the company as its company, its
// buyer or an investor, or it is no company (misreadTarget). A deal the
// rules opened without a figure in the same sentence for the investor
// itself (the subject read as the receiver) takes the company instead.
// Like openAcquisitions it runs after the model's decisions, so that the
// models' training data stays the rules' deals. Its confidence is the name
// model's belief in the company.
func (d *doc) openInvestments(a *analysis) {
	var reads []investRead
	for k := range d.sents {
		if k >= d.boiler {
			break
		}
		if lo, hi := d.sentAmts(k); hi > lo {
			continue
		}
		if giver, targets, at, ok := d.investmentNoFigure(k); ok {
			reads = append(reads, investRead{sent: k, at: at, giver: giver, giverKey: d.normName(d.nameText(giver)), targets: targets})
		}
	}
	for _, rd := range reads {
		for _, t := range rd.targets {
			name := d.nameText(t)
			key := d.normName(name)
			if key == "" || keysMatch(key, rd.giverKey) || d.dealParty(a, key) || d.misreadTarget(a, name) || d.descriptorEnd(t) {
				continue
			}
			if db := d.giverDeal(a, reads, rd.giverKey); db != nil {
				db.company, db.companyK, db.companyAt = name, "", t.s
				d.addInvestor(db, listItem{nameRef: rd.giver}, false, -1)
				continue
			}
			r, _ := d.roundNear(rd.at, rd.at+1)
			db := &dealB{anchor: t.s, sent: rd.sent, amt: -1, company: name, companyAt: t.s, round: r}
			d.addInvestor(db, listItem{nameRef: rd.giver}, false, -1)
			a.addNoFigureDeal(db, key)
		}
	}
}

// investRead is an investment a sentence tells without figures
// (investmentNoFigure): its investor and the companies invested in.
type investRead struct {
	sent, at int
	giver    nameRef
	giverKey string
	targets  []nameRef
}

// giverDeal is a deal without a figure that the rules opened for the
// investor giverKey itself in a sentence of reads that names it as the
// investor (the subject read as the receiver), or nil.
func (d *doc) giverDeal(a *analysis, reads []investRead, giverKey string) *dealB {
	for _, db := range a.deals {
		if db.amt >= 0 || db.acquirer != "" || !keysMatch(d.normName(db.company), giverKey) {
			continue
		}
		for _, rd := range reads {
			if rd.sent == db.sent && rd.giverKey == giverKey {
				return db
			}
		}
	}
	return nil
}

// descriptorEnd reports a name that ends with what it describes, not with
// a name: a German compound of a descriptor noun ("Blockchain-Startup").
func (d *doc) descriptorEnd(r nameRef) bool {
	k := r.e - 1
	return d.in("deal.descriptor_noun", k) || d.v.endsIn("deal.descriptor_suffix", d.lw(k))
}

// investmentNoFigure finds an investment sentence k tells without figures:
// an investing phrase (deal.invest_in) right after a name, the investor
// (giverBefore), and the names after the phrase, which are the companies
// ("backs Brindle and Cobalt"). A sentence
// that dates itself (a year), cites the past, opens with a phrase of the
// past, denies or calls off the deal, or tells of a plan is background, as
// for acquisitions without a figure. at is the phrase's first token.
func (d *doc) investmentNoFigure(k int) (giver nameRef, targets []nameRef, at int, ok bool) {
	s := d.sents[k]
	if s.e-s.s > 3*maxWin || d.definiteSubject(k) {
		return nameRef{}, nil, 0, false
	}
	i, n := s.s, 0
	for ; i < s.e; i++ {
		if n = d.phraseAt("deal.invest_in", i); n > 0 {
			break
		}
	}
	if n == 0 || d.futureBefore(i) || d.pastOpening(k, d.clauseStart(i)) {
		return nameRef{}, nil, 0, false
	}
	if d.datedOrCited(s, true) {
		return nameRef{}, nil, 0, false
	}
	giver, ok = d.giverBefore(i, s.s)
	if !ok {
		return nameRef{}, nil, 0, false
	}
	return giver, d.investees(i+n, s.e), i, true
}

// giverBefore reads the investor of an investing phrase at token i: the
// name that ends right before it or before up to three auxiliaries and
// adverbs ("Alder has also invested in"), not at the sentence's start ss.
// A name further away ("Alder is a fund tied to Brook and also backs
// Cobalt", a portfolio) or a relative pronoun ("Brook, which invested in")
// is no investor of the news.
func (d *doc) giverBefore(i, ss int) (nameRef, bool) {
	p := i
	for p > ss && i-p < 3 && (d.in("investors.aux", p-1) || d.in("deal.time_adverb", p-1)) {
		p--
	}
	st := p
	for st > ss && p-st < 6 && d.isCap(st-1) && d.toks[st-1].kind == tkWord {
		st--
	}
	for ; st < p; st++ {
		if d.rawIn(st, setStop, d.v.stop) {
			continue
		}
		if r, ok := d.nameAt(st, p); ok && r.e == p {
			return r, true
		}
	}
	return nameRef{}, false
}

// investees reads the names from token i to e: the object of an investing
// phrase and the names joined to it by a comma or a conjunction ("in
// Brindle, Cobalt and Dune").
func (d *doc) investees(i, e int) []nameRef {
	r, ok := d.objectName(i)
	if !ok {
		return nil
	}
	out := []nameRef{r}
	for j := r.e; j+1 < e; j = r.e {
		if !d.is(j, ",") && !d.is(j, "&") && !d.in("investors.and", j) {
			break
		}
		next := j + 1
		if d.in("investors.and", next) {
			next++ // ", and Dune"
		}
		if next >= e || !d.isCap(next) || d.rawIn(next, setStop, d.v.stop) {
			break
		}
		if r, ok = d.nameAt(next, e); !ok {
			break
		}
		out = append(out, r)
	}
	return out
}
