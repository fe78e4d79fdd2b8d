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
// ("b2.3f1") listing the articles whose fingerprint has that value there
// (in a compact binary form, bandcode.go; JSON values of earlier versions
// are read too). Two
// fingerprints at most Bands-1 bits apart agree on a whole band (pigeonhole),
// so a lookup reads those Bands keys (in one request) and finds every such
// article; candidates are then kept when within MaxDistance bits (default
// 8). Keys are appended to by compare-and-set, so replicas may share the
// bucket.
//
// Measured on the 120 devset texts (median 45 words) and on 24 texts of
// about 230 words made of five devset texts each: for the long texts a new
// title line moves the fingerprint by median 2 bits (max 4), one changed word
// by 2 (max 6), twelve consecutive words rewritten by 6 (max 9); for the short
// texts by 5, 5 and 15 (90th percentile 9, 9 and 21). Different texts are at
// least 17 bits apart (median 31). So edits of article-length texts match;
// short items match after small edits only, and a rewritten sentence in a
// 45-word brief makes it a new article.
package dedup
