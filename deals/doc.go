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
//   - its normalised company name ([CompanyTokens]: lower case, no
//     punctuation, legal suffixes or leading "the") equals, or is a
//     word-wise prefix of, or extends, every name in the deal ("Acme",
//     "Acme Inc." and "Acme Robotics" agree; "Acme Robotics" and "Acme
//     Foods" do not);
//   - it was reported within Window (45 days) of the deal's first report, or
//     within LateWindow (180 days) when it names the same round and an amount
//     within 10% of one of the deal's;
//   - its round ([NormalizeRound]) equals the deal's, or one of them is
//     "unknown" and the other an equity round (not debt, grant, fund, IPO or
//     acquisition);
//   - the deal holds no other deal of the same article;
//   - when the round is "unknown" on either side, or the name is only a
//     prefix match, the amounts do not contradict it: some amount of the
//     deal is within AmountRatio (2×) of its amount, compared in the same
//     currency or in USD.
//
// Among compatible deals it joins the one with the same known round (+8),
// agreeing amount within 10% (+4), the exact same name (+2), then the
// nearest in time. So the same company with another round, or the same
// round more than the window apart, is another deal.
// A deal's id is a hash of its first contribution, the key reads
// "company|round|date".
//
// # Merge rule (the chosen values)
//
// For the amount, the valuation, the acquirer and the company's written
// name, each distinct value is counted by the number of distinct articles
// that gave it. The value given by the most articles wins; a tie goes to the
// value given by the most authoritative source (a press release on a
// newswire, see Config.PrimarySources, or the company's own site, over trade
// press and everything else), then to the value given first, then to the
// smaller value text. When sources disagree, the record's Conflicts list
// every value with the ids of the articles that gave it, the chosen one
// first. The round is the deal's known round. Investors are the union of the
// sources' investors by normalised canonical name; one is a lead when any
// source says so, and its name and amount are chosen by the same vote. Power
// capacities are the union by value in watts. Merged values carry no spans:
// they point into no single text, and each source keeps its own deal.
package deals
