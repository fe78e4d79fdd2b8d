package extract

import "unsafe"

// litMemo remembers a value per string literal, by the literal's address:
// the rules and features name their classes and templates by literals, so
// each has one address, and a hit costs neither a map lookup nor hashing
// the text. Strings that share a slot only have their value worked out
// again.
type litMemo[T any] [256]litSlot[T]

// litHash spreads an address over the slots of a memo (litMemo, normMemo):
// Fibonacci hashing, the top bits of the product.
const litHash = 0x9E3779B97F4A7C15

type litSlot[T any] struct {
	s   string
	val T
	set bool
}

// slot returns the slot of s, and whether it holds the value of s.
func (m *litMemo[T]) slot(s string) (*litSlot[T], bool) {
	p := unsafe.StringData(s)
	x := &m[(uint64(uintptr(unsafe.Pointer(p)))*litHash)>>56]
	// The same address and length are the same text: the slot holds the
	// string, so its bytes cannot be freed and reused for another, and
	// strings are never written.
	return x, x.set && unsafe.StringData(x.s) == p && len(x.s) == len(s)
}

// put stores val as the value of s in the slot and returns it.
func (x *litSlot[T]) put(s string, val T) T {
	x.s, x.val, x.set = s, val, true
	return val
}
