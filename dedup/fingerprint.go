package dedup

import (
	"fmt"
	"hash/fnv"
	"math/bits"
	"strconv"
	"strings"
	"unicode"

	"github.com/dealwire/dealwire/news"
)

// shingleWords is how many consecutive words make one shingle. Two keeps
// word order in the fingerprint while one edited word disturbs only the
// two shingles that contain it; on the devset texts it separated small edits
// from other articles a little better than one, three or four words.
const shingleWords = 2

// Fingerprint returns the 64-bit SimHash of text: every pair of
// consecutive words (lower-cased, punctuation dropped) is hashed, and bit i
// of the result is set when more shingles have bit i set than not. Texts
// that share most shingles get fingerprints a few bits apart, so a
// republished article with an edited title or paragraph stays within a small
// [Distance] of the original, while unrelated texts differ in about half of
// the 64 bits. A text without words has fingerprint 0.
func Fingerprint(text string) uint64 {
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	if len(words) == 0 {
		return 0
	}
	n := max(len(words)-shingleWords+1, 1)
	var weights [64]int
	h := fnv.New64a()
	for i := range n {
		h.Reset()
		for _, w := range words[i:min(i+shingleWords, len(words))] {
			h.Write([]byte(w))
			h.Write([]byte{0})
		}
		x := mix(h.Sum64())
		for b := range 64 {
			if x&(1<<b) != 0 {
				weights[b]++
			} else {
				weights[b]--
			}
		}
	}
	var fp uint64
	for b, w := range weights {
		if w > 0 {
			fp |= 1 << b
		}
	}
	return fp
}

// mix is the splitmix64 finaliser. FNV-1a leaves the high bits of short
// inputs poorly mixed, and SimHash needs every bit to be a fair coin.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// Distance is the Hamming distance between two fingerprints: the number of
// bits in which they differ, 0 to 64.
func Distance(a, b uint64) int { return bits.OnesCount64(a ^ b) }

// FormatFingerprint writes fp as 16 lower-case hex digits, the form kept in
// [news.Article.Fingerprint].
func FormatFingerprint(fp uint64) string { return fmt.Sprintf("%016x", fp) }

// ParseFingerprint reads the form [FormatFingerprint] writes.
func ParseFingerprint(s string) (uint64, error) {
	if len(s) != 16 {
		return 0, &news.ParseError{What: "fingerprint", Input: s, Err: strconv.ErrSyntax}
	}
	fp, err := strconv.ParseUint(s, 16, 64)
	if err != nil {
		return 0, &news.ParseError{What: "fingerprint", Input: s, Err: err}
	}
	return fp, nil
}
