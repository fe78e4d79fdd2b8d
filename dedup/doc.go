// Package dedup recognises an article that repeats an earlier one under a
// new URL, guid or title: a content fingerprint that small edits barely move
// ([Fingerprint], a 64-bit SimHash over two-word shingles) and an [Index]
// that finds earlier fingerprints within a few bits without a scan.
//
// In: an article id and its text's fingerprint, from the extract stage before
// it extracts. Out: the canonical article id, the earliest registered article
// with nearly the same text, or the article's own id. The stage then
// publishes the record under the canonical id, so a republication becomes an
// update of the old record instead of a new one. This package acks nothing.
//
// The index lives in a JetStream key-value bucket. The 64 bits are cut into
// Bands bands (default 6, of 10 or 11 bits); each band value is a key
// ("b2.3f1") listing the articles whose fingerprint has that value there. Two
// fingerprints at most Bands-1 bits apart agree on a whole band (pigeonhole),
// so a lookup is Bands gets and finds every such article; candidates are then
// kept when within MaxDistance bits (default 8). Keys are appended to by
// compare-and-set, so replicas may share the bucket.
//
// Measured on the devset texts and on 250-word articles: a new title line,
// one changed word or one rewritten sentence moves a 250-word article by
// 0–8 bits (median 2–6); different articles are 20–45 bits apart. Texts under
// about 60 words move more per edit, so short items are matched less often.
package dedup
