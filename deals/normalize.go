package deals

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"strings"
)

// namesCompatible reports whether two token lists can name the same company:
// one is a word-wise prefix of the other ("acme" and "acme robotics"), as in
// the devset's lenient name matching. "acme robotics" and "acme foods" are not.
func namesCompatible(a, b []string) bool {
	if len(a) == 0 || len(b) == 0 {
		return false
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// bucketKey is the key-value key of the entry holding every deal
// contribution whose company starts with the word first. Compatible names
// share their first word, so one entry sees every candidate and one
// compare-and-set decides the grouping. Words that are not plain ASCII are
// hashed, since keys allow only [-/_=.a-zA-Z0-9].
func bucketKey(first string) string {
	ascii := len(first) <= 64
	for i := 0; i < len(first) && ascii; i++ {
		c := first[i]
		ascii = c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
	}
	if ascii {
		return "co." + first
	}
	sum := sha256.Sum256([]byte(first))
	return "co.h" + hex.EncodeToString(sum[:12])
}

// equityRounds are the rounds an "unknown" round may turn out to be: an
// unlabelled equity raise. Debt, grants, fund closes, IPOs and acquisitions
// are told apart by the extractor and never merge with "unknown".
var equityRounds = map[string]bool{
	"pre-seed": true, "seed": true, "series a": true, "series b": true,
	"series c": true, "series d": true, "series e": true, "series f": true,
	"series g": true, "series h": true, "growth": true, "strategic": true,
	"unknown": true,
}

// NormalizeRound maps a round label to the vocabulary of [news.Deal.Round]:
// "Series A+" and "series-a extension" are "series a", "Seed extension" is
// "seed", "preseed" is "pre-seed", "growth equity" is "growth", "" is
// "unknown". Labels it does not know are returned lower-cased and trimmed.
func NormalizeRound(round string) string {
	r := strings.Join(strings.FieldsFunc(strings.ToLower(round), func(c rune) bool {
		return c == ' ' || c == '-' || c == '_' || c == '+' || c == '\t'
	}), " ")
	r = strings.TrimSuffix(strings.TrimSuffix(r, " extension"), " round")
	r = strings.TrimSuffix(r, " funding")
	switch r {
	case "":
		return "unknown"
	case "pre seed", "preseed":
		return "pre-seed"
	case "growth equity":
		return "growth"
	case "strategic investment":
		return "strategic"
	}
	if rest, ok := strings.CutPrefix(r, "series "); ok && len(rest) > 0 {
		return "series " + rest[:1]
	}
	return r
}

// authority ranks how primary a source is for a deal: 2 for a newswire
// press release or the company's own site, 1 for everything else.
func authority(primary []string, source, rawURL string, company []string) int {
	src := strings.ToLower(source)
	host := ""
	if u, err := url.Parse(rawURL); err == nil {
		host = strings.ToLower(u.Hostname())
	}
	for _, p := range primary {
		if p != "" && (strings.Contains(src, p) || strings.Contains(host, p)) {
			return 2
		}
	}
	if len(company) > 0 && host != "" {
		joined := strings.Join(company, "")
		labels := strings.Split(strings.TrimPrefix(host, "www."), ".")
		// The registrable label is the one before the public suffix; comparing
		// every label but the last is close enough and needs no suffix list.
		for _, l := range labels[:max(len(labels)-1, 0)] {
			l = strings.ReplaceAll(l, "-", "")
			if l == joined || l == company[0] && len(company[0]) >= 4 {
				return 2
			}
		}
	}
	return 1
}
