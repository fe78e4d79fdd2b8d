// Package deals resolves deals across articles: however many outlets report
// a funding round, it becomes one [news.DealRecord] with every source, the
// merged facts, and the figures the sources disagree on.
//
// In: [news.Record]s, through [Resolver.Resolve], called by the extract stage
// after extraction. Out: the deal records the record created or changed,
// which the caller publishes and indexes (tombstones, with Deleted set, are
// deleted from the index). The caller acks its input only after that; Resolve
// is idempotent, so a redelivery returns the same records again.
//
// # Storage and concurrency
//
// State lives in a JetStream key-value bucket, never in memory. Every
// contribution (one deal of one article: what it said, where and when) is
// stored in the entry of its company's first normalised word ("co.acme"), so
// every deal a contribution could belong to is in one entry and one
// compare-and-set ([jetstream.KeyValue.Create], or Update with the revision
// read; a lost race re-reads and retries) decides its grouping. A second
// key per article ("art.<id>") records which entries it contributed to and
// from which version, so an edit withdraws what the old version said.
//
// Deal records are not stored: they are recomputed from the entry's set of
// contributions by a pure function, so any order of arrival, replay or
// concurrent resolvers gives byte-identical records.
//
// # Grouping (the deal key)
//
// Contributions are taken in order of report time (published, else fetched),
// then article id, and each joins the best compatible deal or starts one.
// A contribution is compatible with a deal when
//   - its normalised company name ([company.Tokens]: lower case, no
//     punctuation, legal suffixes or leading "the") equals, or is a
//     word-wise prefix of, or extends, every name in the deal ("Acme",
//     "Acme Inc." and "Acme Robotics" agree; "Acme Robotics" and "Acme
//     Foods" do not);
//   - it was reported within Window (45 days) of the deal's first report, or
//     within LateWindow (180 days) when it names the same round and an amount
//     within 10% of one of the deal's;
//   - its round ([NormalizeRound]) is one of the deal's; or one side names
//     no round ("unknown") and the other only equity rounds (not debt, grant,
//     fund, IPO or acquisition); or both name different equity rounds but
//     the amounts agree within 10% (outlets disagree on the label, the round
//     becomes a conflict);
//   - the deal holds no other deal of the same article;
//   - no amount of the deal is within SplitRatio (4×) of its amount: the
//     same name and round for $2M and $10M are two companies or two deals;
//   - when the round is "unknown" on either side, or the name is only a
//     prefix match, the amounts do not contradict it: some amount of the
//     deal is within AmountRatio (2×) of its amount.
//
// Amounts compare in their currency, or in USD when both carry a USD value;
// amounts that cannot be compared are no evidence either way.
//
// Among compatible deals it joins the one with the same known round (+8),
// agreeing amount within 10% (+4), the exact same name (+2), a different
// named round (+1), then the nearest in time. So the same company with
// another round and another amount, or the same round more than the window
// apart, is another deal.
//
// A deal's id is a hash of its company entry and first contribution; its key
// reads "company|round|date". The id survives replays and later coverage. It
// changes only when a report published before all others arrives late, or an
// edit moves the first report elsewhere; the old id then comes back from
// Resolve as a tombstone.
//
// # Merge rule (the chosen values)
//
// For the round (among sources that name one), the amount, the valuation,
// the acquirer and the company's name, each distinct value is counted by the number of distinct articles
// that gave it. The value given by the most articles wins; a tie goes to the
// value given by the most authoritative source (a press release on a
// newswire, see Config.PrimarySources, or the company's own site, over trade
// press and everything else), then to the value given first, then to the
// smaller value text. When sources disagree, the record's Conflicts list
// every value with the ids of the articles that gave it, the chosen one
// first; the round is "unknown" only when no source names one. Investors are the union of the
// sources' investors by normalised canonical name; one is a lead when any
// source says so, and its name and amount are chosen by the same vote. Power
// capacities are the union by value in watts. Each chosen value keeps the
// span it has in the source that speaks for it (for a vote, the source the
// tie-break picked; for a capacity, the first to report it), and the
// record's Anchors name that source's article for every span, so a reader
// can open the article with the fact highlighted. Each source keeps its own
// deal, spans and evidence sentence as extracted.
//
// The deal's Confidence is the highest of its sources' (a source the
// extractor's model did not score, 0, adds nothing; a deal is unscored only
// when none of its sources is scored). Every deal is resolved, stored and
// published whatever its confidence: hiding doubtful deals is the business
// of searches (min_confidence), so that lowering the threshold needs no
// re-resolution.
//
// # Limits
//
// An entry grows with every report of companies sharing a first word. Past
// MaxEntryBytes its oldest closed deals (first report more than LateWindow
// before the newest) are archived under "dl.<id>" and leave resolution:
// a report of them arriving after that starts a new deal, and edits of their
// articles are ignored.
//
// # Quality
//
// TestResolutionQuality resolves a hand-made set of labelled reports in three
// arrival orders (all must give the same deals) and scores the grouping
// pairwise over reports (a pair is right when the resolver puts two reports
// in one deal exactly when they report one deal).
//
// The first 37 reports (18 deals: name variants, unknown rounds, conflicting
// amounts, other currencies, two companies sharing a first word, the same
// company's other rounds, late coverage, two unnamed raises close together)
// were written before the rule and then used to tune it: precision 0.962 /
// recall 0.862 at first, 0.964 / 0.931 with the late window, 0.967 / 1.000
// with camel-case splitting. Eight more reports (5 deals) were then added
// without tuning and gave 0.938 / 0.938 on all 45. With the split ratio and
// the joining of differently named rounds of one sum, the 45 reports of 23
// deals give precision 0.969 (31/32), recall 0.969 (31/32), F1 0.969. None
// of it is held out any more: treat it
// as a regression floor, not an estimate on real news.
//
// What it still gets wrong, by design of the rule:
//   - names whose first word differs are never compared: "DeepMind" and
//     "Google DeepMind" stay apart (camel case is split, so "HelioGrid" and
//     "Helio Grid" meet; "HELIOGRID" would not);
//   - two raises without a named round, of similar amounts, within the
//     window, merge ("Quantia raises $20M" and, three weeks later, "$22M");
//   - two companies of one name with the same round and amounts within 4×
//     in the window merge;
//   - a bare short name ("Atlas") joins whichever "Atlas ..." deal it fits
//     best by round, amount and time; with no amount it can pick wrongly;
//   - a report more than Window late, without the same round and amount,
//     starts a new deal; an extraction error of more than 4× on the amount
//     splits a deal.
package deals
