package sqlite

import (
	"context"
	"fmt"
	"strings"

	"github.com/dealwire/dealwire/index"
)

// SearchDealsOmitting is [Store.SearchDeals] for a reader that uses only
// some parts of each deal, as an export does: the members of the stored
// JSON that omit names are passed over, not decoded, and left at their
// zero value in the hits. A name is a member of the deal record
// ("anchors"), of each of its sources ("sources.title") or of the deal
// each source reported ("sources.deal.investors"), as [news.DealRecord]'s
// JSON names them. Decoding is most of the CPU time of reading deals, and
// an export's rows read half of each record at most (the sources' deals
// repeat the merged deal once a source).
//
// With count false the result has no Total (it is 0), for a reader that
// pages through all the matches and takes the count from its first page,
// as an export does. SQLite counts by walking the matches: a page deep
// into a million deals costs tens of milliseconds of counting, and an
// export that counted every page would grow with the square of the deals.
//
// A record whose passed-over members are not well-formed JSON is decoded
// whole (by encoding/json), as [Store.SearchDeals] decodes it.
func (s *Store) SearchDealsOmitting(ctx context.Context, q index.Query, count bool, omit []string) (index.DealResult, error) {
	set, err := parseOmit(omit)
	if err != nil {
		return index.DealResult{}, fmt.Errorf("searching deals: %w", err)
	}
	return s.searchDeals(ctx, q, count, set)
}

// omitSet is the members a [dealDecoder] passes over: a bit per member
// name (the bit functions below) at each of the three levels.
type omitSet struct {
	record, source, deal uint32
}

// parseOmit reads the names of [Store.SearchDealsOmitting].
func parseOmit(names []string) (omitSet, error) {
	var o omitSet
	for _, name := range names {
		var bit uint32
		var set *uint32
		switch rest, ok := strings.CutPrefix(name, "sources."); {
		case !ok:
			bit, set = recordBit(name), &o.record
		case strings.HasPrefix(rest, "deal."):
			bit, set = dealBit(strings.TrimPrefix(rest, "deal.")), &o.deal
		default:
			bit, set = sourceBit(rest), &o.source
		}
		if bit == 0 {
			return omitSet{}, fmt.Errorf("omitting %q: no such member of a deal record", name)
		}
		*set |= bit
	}
	return o, nil
}

// recordBit is the bit of a member of [news.DealRecord] that can be
// omitted, 0 for any other name.
func recordBit(key string) uint32 {
	switch key {
	case "key":
		return 1 << 0
	case "company_key":
		return 1 << 1
	case "amount":
		return 1 << 2
	case "valuation":
		return 1 << 3
	case "investors":
		return 1 << 4
	case "capacity":
		return 1 << 5
	case "acquirer":
		return 1 << 6
	case "anchors":
		return 1 << 7
	case "sources":
		return 1 << 8
	case "conflicts":
		return 1 << 9
	case "updated_at":
		return 1 << 10
	}
	return 0
}

// sourceBit is recordBit for a member of [news.DealSource].
func sourceBit(key string) uint32 {
	switch key {
	case "article_id":
		return 1 << 0
	case "deal_index":
		return 1 << 1
	case "url":
		return 1 << 2
	case "source":
		return 1 << 3
	case "title":
		return 1 << 4
	case "published_at":
		return 1 << 5
	case "authority":
		return 1 << 6
	case "extractor_version":
		return 1 << 7
	case "extracted_at":
		return 1 << 8
	case "deal":
		return 1 << 9
	case "outlet":
		return 1 << 10
	}
	return 0
}

// dealBit is recordBit for a member of [news.Deal] (a source's deal).
func dealBit(key string) uint32 {
	switch key {
	case "company":
		return 1 << 0
	case "round":
		return 1 << 1
	case "amount":
		return 1 << 2
	case "valuation":
		return 1 << 3
	case "valuation_alt":
		return 1 << 4
	case "investors":
		return 1 << 5
	case "capacity":
		return 1 << 6
	case "acquirer":
		return 1 << 7
	case "evidence":
		return 1 << 8
	case "evidence_span":
		return 1 << 9
	case "confidence":
		return 1 << 10
	}
	return 0
}

// skip passes over the next value. It checks the structure (strings
// closed, brackets matched, up to 64 levels deep) but not the literals
// and numbers, nor the UTF-8 of the strings: what it passes over is never
// used, and the records it reads were written by encoding/json.
func (d *dealDecoder) skip() error {
	switch d.next() {
	case '"':
		_, _, _, err := d.rawString()
		return err
	case '{', '[':
		return d.skipNested()
	case 0, ',', ':', '}', ']':
		return errSlowPath
	}
	// A number or a literal: up to the next delimiter.
	start := d.i
	for d.i < len(d.s) && !delimiter[d.s[d.i]] {
		d.i++
	}
	if d.i == start {
		return errSlowPath
	}
	return nil
}

// delimiter marks the bytes that end a number or a literal.
var delimiter = [256]bool{',': true, ':': true, '{': true, '}': true, '[': true, ']': true, '"': true, ' ': true, '\t': true, '\n': true, '\r': true}

// skipNested passes over the object or array that starts at d.i. Only
// quotes and brackets matter there, and in strings quotes and
// backslashes. (A byte at a time: records are mostly short strings, and
// finding these bytes eight at a time measured twice as slow.)
func (d *dealDecoder) skipNested() error {
	// open holds a bit per open bracket, innermost lowest: 1 for an
	// object. '{' and '}' have bit 5 set, '[' and ']' do not.
	var open uint64
	depth := 0
	s := d.s
	for i := d.i; i < len(s); i++ {
		switch c := s[i]; c {
		case '"':
			for i++; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' {
					i++ // the escaped byte, which may be a quote
				}
			}
		case '{', '[':
			if depth == 64 {
				return errSlowPath
			}
			open = open<<1 | uint64(c>>5&1)
			depth++
		case '}', ']':
			if depth == 0 || open&1 != uint64(c>>5&1) {
				return errSlowPath
			}
			open >>= 1
			depth--
			if depth == 0 {
				d.i = i + 1
				return nil
			}
		}
	}
	return errSlowPath
}
