package extract

import "math/bits"

// weightTable is a linear model's weights frozen for lookup: an
// open-addressing hash table keyed by feature hash, the rows of every
// feature in one flat slice. Feature hashes are FNV hashes already, so
// their low bits index the table directly. It holds no pointers per
// entry, so the garbage collector does not walk it.
type weightTable struct {
	nc    int      // classes per row
	mask  uint64   // len(keys) - 1
	keys  []uint64 // 0: empty slot
	rows  []float32
	zero  []float32 // the row of feature hash 0, which cannot be a key
	count int
}

// newWeightTable freezes w (feature hash → row of nc weights) at a load
// factor of at most one half.
func newWeightTable(w map[uint64][]float32, nc int) *weightTable {
	size := 1 << bits.Len(uint(2*len(w)+1))
	t := &weightTable{nc: nc, mask: uint64(size - 1), keys: make([]uint64, size), rows: make([]float32, size*nc)}
	for f, row := range w {
		if f == 0 {
			t.zero = row
			continue
		}
		i := f & t.mask
		for t.keys[i] != 0 {
			i = (i + 1) & t.mask
		}
		t.keys[i] = f
		copy(t.rows[int(i)*nc:int(i+1)*nc], row)
		t.count++
	}
	return t
}

// row returns the weights of feature f, nil when the model has none.
func (t *weightTable) row(f uint64) []float32 {
	if f == 0 {
		return t.zero
	}
	for i := f & t.mask; ; i = (i + 1) & t.mask {
		switch t.keys[i] {
		case f:
			return t.rows[int(i)*t.nc : int(i+1)*t.nc : int(i+1)*t.nc]
		case 0:
			return nil
		}
	}
}
