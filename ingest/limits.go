package ingest

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"unicode/utf8"
)

// Caps on what one article carries. An article travels as one JetStream
// message, and a NATS server refuses a message over its max_payload (1 MiB by
// default): an article over it could never be published, and its feed would
// retry it on every poll. A broken or hostile feed or page could also make
// the lists grow without end (100,000 categories), and each list is deduped
// in quadratic time.
const (
	// maxTextJSON bounds an article's text, counted as JSON-escaped bytes
	// ("<" takes six): about 40,000 words, far above a real article.
	maxTextJSON = 256 << 10
	// maxTitleJSON bounds a title the same way.
	maxTitleJSON = 2 << 10
	// maxNameJSON bounds one author name, tag or description.
	maxNameJSON = 1 << 10
	// maxList bounds the authors and the tags of one item or page.
	maxList = 32
	// maxURLLen bounds a link; longer ones are dropped.
	maxURLLen = 4 << 10
	// maxGUIDLen bounds a guid; a longer one is replaced by its hash, so
	// that distinct guids stay distinct.
	maxGUIDLen = 1 << 10
)

// capJSON returns s whole when its JSON encoding takes at most limit bytes,
// and otherwise its longest prefix that does, cut at a rune boundary and,
// when one lies in the last tenth, after a paragraph or a word.
func capJSON(s string, limit int) string {
	n := 0
	for i, r := range s {
		n += jsonSize(r, s[i:])
		if n > limit {
			return trimToBoundary(s[:i])
		}
	}
	return s
}

// jsonSize is how many bytes encoding/json writes for the rune r that
// starts rest.
func jsonSize(r rune, rest string) int {
	switch {
	case r == utf8.RuneError:
		if _, size := utf8.DecodeRuneInString(rest); size == 1 {
			return 6 // an invalid byte becomes \ufffd
		}
		return 3
	case r == '<', r == '>', r == '&', r == '\u2028', r == '\u2029':
		return 6
	case r == '"', r == '\\', r == '\n', r == '\r', r == '\t':
		return 2
	case r < 0x20:
		return 6
	}
	return utf8.RuneLen(r)
}

// trimToBoundary cuts a prefix back to its last paragraph or word break
// when that loses at most a tenth of it.
func trimToBoundary(s string) string {
	floor := len(s) - len(s)/10
	if i := strings.LastIndex(s, "\n\n"); i >= floor {
		return s[:i]
	}
	if i := strings.LastIndexAny(s, " \n"); i >= floor {
		return s[:i]
	}
	return s
}

// capGUID keeps a guid up to maxGUIDLen bytes and replaces a longer one by
// a hash of it.
func capGUID(g string) string {
	if len(g) <= maxGUIDLen {
		return g
	}
	sum := sha256.Sum256([]byte(g))
	return "sha256:" + hex.EncodeToString(sum[:])
}

// httpLink returns u when it is an absolute http(s) address of at most
// maxURLLen bytes, and "" otherwise: a javascript:, data: or file: link
// is no article's address.
func httpLink(u string) string {
	if len(u) > maxURLLen {
		return ""
	}
	scheme, _, ok := strings.Cut(u, "://")
	if !ok || !strings.EqualFold(scheme, "http") && !strings.EqualFold(scheme, "https") {
		return ""
	}
	return u
}

// appendCapped is appendUnique for lists capped at maxList entries of at
// most maxNameJSON bytes each.
func appendCapped(list []string, s string) []string {
	if len(list) >= maxList {
		return list
	}
	return appendUnique(list, capJSON(s, maxNameJSON))
}
