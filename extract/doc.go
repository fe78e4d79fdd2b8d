// Package extract finds deal facts in news text: amounts of money with
// their role (the raise of a deal, a valuation, an earlier round, revenue, a
// contract...), investors with lead flags and per-investor amounts, power
// and energy figures, and the deals they form (company, round, amount,
// valuation, investors, capacity).
//
// In: a UTF-8 text whose first line may be a headline. Out: a
// [news.Extraction] in the shape of the devset labels, every fact with its
// byte span into the text. [Extract] is pure and deterministic; it reads no
// network and acknowledges nothing: the extract stage in cmd/dealwire wraps
// it and acks its input once the record is published.
//
// How it works: one lexer (lex.go) turns the text into tokens with byte
// spans; recognizers over tokens find money (money.go), power (power.go)
// and names (investors.go); cue phrases from embedded vocabularies
// (words/*.tsv) give the rules' first reading of each figure (roles.go)
// and of the deals (deal.go, build.go, attach.go, extract.go); the words a
// rule tests are classes of words/rules_*.tsv, never literals. Then
// trained models decide (decide.go): the role of each figure, whether a
// deal funds each power figure, which names are companies, investors and
// leads, which figure is an investor's own, and each deal's kind of round,
// each over the named features of features.go with the weights of
// model/weights.tsv (trained by train.go; `scripts/train`). Every decided
// fact carries the model's probability as its confidence, and the deals the
// model rejects are kept as Extraction.Doubtful. The investor gazetteer is
// configs/investors.tsv. No regular expressions are used outside tests.
package extract
