package news

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Decimal is an exact non-negative decimal number, Coef × 10^Exp. Money and
// power values are kept this way from the lexer to the wire so that "1.2bn"
// is exactly 1200000000; they become floats only in index documents.
type Decimal struct {
	Coef int64 `json:"-"`
	Exp  int32 `json:"-"`
}

// Float64 returns d as the nearest float64.
func (d Decimal) Float64() float64 {
	return float64(d.Coef) * math.Pow10(int(d.Exp))
}

// IsZero reports whether d is zero.
func (d Decimal) IsZero() bool { return d.Coef == 0 }

// String formats d in plain decimal notation without exponent: 1200000000, 1.5.
func (d Decimal) String() string {
	s := strconv.FormatInt(d.Coef, 10)
	switch {
	case d.Coef == 0:
		return "0"
	case d.Exp >= 0:
		return s + strings.Repeat("0", int(d.Exp))
	default:
		neg := ""
		if s[0] == '-' {
			neg, s = "-", s[1:]
		}
		n := int(-d.Exp)
		if len(s) <= n {
			s = strings.Repeat("0", n-len(s)+1) + s
		}
		i := len(s) - n
		out := strings.TrimRight(s[:i]+"."+s[i:], "0")
		out = strings.TrimSuffix(out, ".")
		return neg + out
	}
}

// MarshalJSON writes d as a JSON number in plain notation.
func (d Decimal) MarshalJSON() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalJSON reads a JSON number (integer, decimal or exponent form).
func (d *Decimal) UnmarshalJSON(b []byte) error {
	v, err := ParseDecimal(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// ParseDecimal parses a plain decimal literal such as "1200000000", "1.5" or "2e9".
func ParseDecimal(s string) (Decimal, error) {
	orig := s
	var exp int64
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		e, err := strconv.ParseInt(s[i+1:], 10, 32)
		if err != nil {
			return Decimal{}, &ParseError{What: "decimal", Input: orig, Err: err}
		}
		exp, s = e, s[:i]
	}
	if i := strings.IndexByte(s, '.'); i >= 0 {
		frac := strings.TrimRight(s[i+1:], "0")
		s = s[:i] + frac
		exp -= int64(len(frac))
	}
	coef, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return Decimal{}, &ParseError{What: "decimal", Input: orig, Err: err}
	}
	for coef != 0 && coef%10 == 0 {
		coef /= 10
		exp++
	}
	if exp > math.MaxInt32 || exp < math.MinInt32 {
		return Decimal{}, &ParseError{What: "decimal", Input: orig, Err: strconv.ErrRange}
	}
	if coef == 0 {
		exp = 0
	}
	return Decimal{Coef: coef, Exp: int32(exp)}, nil
}

// ParseError reports a value that could not be parsed, shaped like
// [strconv.NumError]: what was parsed, the input, and why.
type ParseError struct {
	What  string
	Input string
	Err   error
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("parsing %s %q: %v", e.What, e.Input, e.Err)
}

// Unwrap returns the cause.
func (e *ParseError) Unwrap() error { return e.Err }
