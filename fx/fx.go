// Package fx converts money amounts to approximate US dollars with a small,
// dated table of rates (configs/fx.tsv). The index uses it at index time so
// that "more than $1B" can match a €1bn round. The values are for comparing
// and sorting only; the table states the date its rates are from.
package fx

import (
	"bufio"
	"fmt"
	"io"
	"io/fs"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/dealwire/dealwire/configs"
)

// DefaultFile is the name of the shipped table in [configs.Files].
const DefaultFile = "fx.tsv"

// Table holds US dollars per unit of each currency, as of Date.
type Table struct {
	// Date is the day the rates are from.
	Date  time.Time
	rates map[string]float64
}

// Default returns the table shipped in configs/fx.tsv.
func Default() (*Table, error) {
	return Load(configs.Files, DefaultFile)
}

// Load reads the table named name from fsys.
func Load(fsys fs.FS, name string) (*Table, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, fmt.Errorf("opening fx table: %w", err)
	}
	defer f.Close()
	t, err := Parse(f)
	if err != nil {
		return nil, fmt.Errorf("reading fx table %s: %w", name, err)
	}
	return t, nil
}

// Parse reads a table: lines "CODE<TAB>usd_per_unit", one "date<TAB>YYYY-MM-DD"
// line, blank lines and '#' comments. The date is required.
func Parse(r io.Reader) (*Table, error) {
	t := &Table{rates: make(map[string]float64)}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		k, v, ok := strings.Cut(line, "\t")
		if !ok {
			return nil, fmt.Errorf("line %d: want two tab-separated fields", n)
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if k == "date" {
			d, err := time.Parse(time.DateOnly, v)
			if err != nil {
				return nil, fmt.Errorf("line %d: %w", n, err)
			}
			t.Date = d
			continue
		}
		if len(k) != 3 || strings.ToUpper(k) != k {
			return nil, fmt.Errorf("line %d: currency %q is not an ISO 4217 code", n, k)
		}
		rate, err := strconv.ParseFloat(v, 64)
		if err != nil || rate <= 0 || math.IsInf(rate, 0) {
			return nil, fmt.Errorf("line %d: rate %q is not a positive number", n, v)
		}
		t.rates[k] = rate
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if t.Date.IsZero() {
		return nil, fmt.Errorf("no date line")
	}
	return t, nil
}

// USD converts value in currency to approximate US dollars. ok is false for a
// currency the table does not know.
func (t *Table) USD(value float64, currency string) (usd float64, ok bool) {
	if currency == "USD" {
		return value, true
	}
	rate, ok := t.rates[currency]
	if !ok {
		return 0, false
	}
	return value * rate, true
}

// Len returns the number of currencies in t.
func (t *Table) Len() int { return len(t.rates) }
