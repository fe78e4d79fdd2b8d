package extract

import (
	"encoding/binary"
	"math/bits"
	"unsafe"
)

// knownTable is vocab.known frozen into an open-addressing table for
// indexVocab, which looks up every token of every text: a Go map spent
// about 145 instructions a look-up there, most of them in its general
// machinery. The table answers exactly as the map does (get is tested
// against it over every key and the corpora's tokens, TestKnownTable);
// only the cost differs.
type knownTable struct {
	slots []knownSlot // a power of two, at most half full
	keys  []string
	parts []knownParts // knownSplit of each key, compared instead of keys of up to 16 bytes
	ents  []*wordEntry
	mask  uint32
}

// knownSlot is one slot of a knownTable: the key's index + 1 (0 empty) and
// its hash's top bits, compared before the key is.
type knownSlot struct {
	idx uint32
	tag uint32
}

// newKnownTable freezes m; m must not change afterwards.
func newKnownTable(m map[string]*wordEntry) knownTable {
	n := 1
	for n < 2*len(m) {
		n <<= 1
	}
	t := knownTable{slots: make([]knownSlot, n), keys: make([]string, 0, len(m)), parts: make([]knownParts, 0, len(m)), ents: make([]*wordEntry, 0, len(m)), mask: uint32(n - 1)}
	for k, e := range m {
		t.keys = append(t.keys, k)
		p := knownSplit(k)
		t.parts = append(t.parts, p)
		t.ents = append(t.ents, e)
		h := p.hash(len(k))
		for x := uint32(h) & t.mask; ; x = (x + 1) & t.mask {
			if t.slots[x].idx == 0 {
				t.slots[x] = knownSlot{idx: uint32(len(t.keys)), tag: uint32(h >> 32)}
				break
			}
		}
	}
	return t
}

// get is m[s] of the map the table was made from.
// A key of up to sixteen bytes is compared by the parts already read for
// the hash, which hold all of its bytes.
func (t *knownTable) get(s string) *wordEntry {
	p := knownSplit(s)
	h := p.hash(len(s))
	tag := uint32(h >> 32)
	short := len(s) <= 16
	for x := uint32(h) & t.mask; ; x = (x + 1) & t.mask {
		sl := t.slots[x]
		if sl.idx == 0 {
			return nil
		}
		if sl.tag != tag {
			continue
		}
		i := sl.idx - 1
		if short {
			if len(t.keys[i]) == len(s) && t.parts[i] == p {
				return t.ents[i]
			}
		} else if t.keys[i] == s {
			return t.ents[i]
		}
	}
}

// knownParts are up to sixteen bytes of a string (its first and last
// eight, or as wyhash reads a short key, three): all of its bytes when it
// has at most sixteen, so two such strings of one length are equal when
// their parts are.
type knownParts struct{ a, b uint64 }

func knownSplit(s string) knownParts {
	n := len(s)
	var a, b uint64
	p := unsafe.Slice(unsafe.StringData(s), n) // read, never written
	switch {
	case n >= 8:
		a = binary.LittleEndian.Uint64(p)
		b = binary.LittleEndian.Uint64(p[n-8:])
	case n >= 4:
		a = uint64(binary.LittleEndian.Uint32(p))
		b = uint64(binary.LittleEndian.Uint32(p[n-4:]))
	case n > 0:
		a = uint64(p[0])<<16 | uint64(p[n>>1])<<8 | uint64(p[n-1])
	}
	return knownParts{a, b}
}

// hash mixes the parts of a string of n bytes into 64 bits. Strings that
// share their parts and length collide and are told apart by the
// comparison in get: most vocabulary words and tokens are shorter than
// seventeen bytes.
func (p knownParts) hash(n int) uint64 {
	hi, lo := bits.Mul64(p.a^0xa0761d6478bd642f, p.b^0xe7037ed1a0b428db^uint64(n))
	return hi ^ lo
}
