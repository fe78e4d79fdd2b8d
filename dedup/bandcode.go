package dedup

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
)

// A band key's value is its members in append order. It is written in a
// compact binary form: bandFormat, then per member the article id (a
// uvarint length and its bytes), the fingerprint (8 bytes, big-endian), the
// registration sequence (uvarint) and the canonical id (uvarint 0 when it
// is the member's own id, else its length + 1 and its bytes). A member of a
// 32-character id takes about 45 bytes this way against about 130 as JSON,
// and decoding it needs no reflection: a registration reads and rewrites
// every member of its bands, so both count once the index is large
// (BENCHMARKS.md, Pipeline). Values written as JSON by earlier versions
// ("{" first) are still read, and are rewritten in the binary form by the
// next registration in their band.
const bandFormat = 0x01

// appendBand appends the binary form of b to dst.
func appendBand(dst []byte, b band) []byte {
	dst = append(dst, bandFormat)
	for _, m := range b.Members {
		dst = binary.AppendUvarint(dst, uint64(len(m.ID)))
		dst = append(dst, m.ID...)
		dst = binary.BigEndian.AppendUint64(dst, m.FP)
		dst = binary.AppendUvarint(dst, m.Seq)
		if m.Canonical == m.ID {
			dst = binary.AppendUvarint(dst, 0)
			continue
		}
		dst = binary.AppendUvarint(dst, uint64(len(m.Canonical))+1)
		dst = append(dst, m.Canonical...)
	}
	return dst
}

var errBandTruncated = errors.New("value ends inside a member")

// parseBand decodes a band key's value in either form.
func parseBand(v []byte) (band, error) {
	var b band
	if len(v) == 0 {
		return b, errors.New("empty value")
	}
	switch v[0] {
	case '{':
		err := json.Unmarshal(v, &b)
		return b, err
	case bandFormat:
	default:
		return b, fmt.Errorf("unknown format byte %#x", v[0])
	}
	v = v[1:]
	str := func(n uint64) (string, bool) {
		if n > uint64(len(v)) {
			return "", false
		}
		s := string(v[:n])
		v = v[n:]
		return s, true
	}
	uvarint := func() (uint64, bool) {
		x, n := binary.Uvarint(v)
		if n <= 0 {
			return 0, false
		}
		v = v[n:]
		return x, true
	}
	for len(v) > 0 {
		var m member
		n, ok := uvarint()
		if ok {
			m.ID, ok = str(n)
		}
		if !ok || len(v) < 8 {
			return band{}, errBandTruncated
		}
		m.FP = binary.BigEndian.Uint64(v)
		v = v[8:]
		if m.Seq, ok = uvarint(); !ok {
			return band{}, errBandTruncated
		}
		c, ok := uvarint()
		if !ok {
			return band{}, errBandTruncated
		}
		m.Canonical = m.ID
		if c > 0 {
			if m.Canonical, ok = str(c - 1); !ok {
				return band{}, errBandTruncated
			}
		}
		b.Members = append(b.Members, m)
	}
	return b, nil
}
