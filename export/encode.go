package export

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/parquet-go/parquet-go"
)

// Column describes one column of a row type.
type Column struct {
	Name string
	// Type is "string", "number", "integer", "boolean", "date",
	// "timestamp" or "list" (of strings).
	Type string
	// Optional columns are empty (CSV) or null (NDJSON, Parquet) when unknown.
	Optional bool
	field    int
}

// Columns returns the columns of row type T (DealRow, InvestorRow or
// AmountRow), in order.
func Columns[T any]() []Column {
	return columnsOf(reflect.TypeFor[T]())
}

func columnsOf(t reflect.Type) []Column {
	cols := make([]Column, 0, t.NumField())
	for i := range t.NumField() {
		f := t.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("parquet"), ",")
		c := Column{Name: name, field: i}
		for _, o := range strings.Split(opts, ",") {
			switch {
			case o == "optional":
				c.Optional = true
			case o == "date":
				c.Type = "date"
			case strings.HasPrefix(o, "timestamp"):
				c.Type = "timestamp"
			case o == "list":
				c.Type = "list"
			}
		}
		if c.Type == "" {
			switch f.Type.Kind() {
			case reflect.String:
				c.Type = "string"
			case reflect.Float64:
				c.Type = "number"
			case reflect.Int64, reflect.Int32, reflect.Pointer:
				c.Type = "integer"
			case reflect.Bool:
				c.Type = "boolean"
			default:
				panic(fmt.Sprintf("export: column %s of %s has unsupported type %s", name, t, f.Type)) // impossible: row types are ours
			}
		}
		cols = append(cols, c)
	}
	return cols
}

// encoder writes rows of type T in one format.
type encoder[T any] interface {
	Write(rows []T) error
	// Close writes what is buffered and the format's trailer (Parquet's
	// footer); it does not close the underlying writer.
	Close() error
}

func newEncoder[T any](f Format, w io.Writer) (encoder[T], error) {
	switch f {
	case FormatCSV:
		return newCSVEncoder[T](w)
	case FormatNDJSON:
		return newNDJSONEncoder[T](w), nil
	case FormatParquet:
		return &parquetEncoder[T]{w: parquet.NewGenericWriter[T](w,
			parquet.Compression(&parquet.Snappy),
			// A row group is buffered until it is complete; bounding it
			// bounds memory (about 1 KB a row before compression).
			parquet.MaxRowsPerRowGroup(parquetRowGroup),
			parquet.CreatedBy("dealwire", "", ""),
		)}, nil
	}
	return nil, fmt.Errorf("format %q: want %s", f, formatList)
}

// parquetRowGroup is the most rows in one Parquet row group.
const parquetRowGroup = 32 << 10

// csvEncoder writes RFC 4180 as encoding/csv's Writer does (comma, LF
// line ends, a field quoted when it holds a comma, quote, CR or LF, starts
// with white space, or is \.), but appends each line to one buffer: the
// Writer takes a []string, which cost a string per cell.
type csvEncoder[T any] struct {
	w    *bufio.Writer
	cols []Column
	cell []byte // a cell that needs quotes, before quoting
}

func newCSVEncoder[T any](w io.Writer) (*csvEncoder[T], error) {
	e := &csvEncoder[T]{w: bufio.NewWriterSize(w, 64<<10), cols: Columns[T]()}
	var line []byte
	for i, c := range e.cols {
		if i > 0 {
			line = append(line, ',')
		}
		line = appendCSVField(line, []byte(c.Name))
	}
	if _, err := e.w.Write(append(line, '\n')); err != nil {
		return nil, err
	}
	return e, nil
}

func (e *csvEncoder[T]) Write(rows []T) error {
	for i := range rows {
		v := reflect.ValueOf(&rows[i]).Elem()
		// Build the line in the writer's free buffer, which then needs no
		// copy when the line fits.
		line := e.w.AvailableBuffer()
		for k, c := range e.cols {
			if k > 0 {
				line = append(line, ',')
			}
			// The cell goes straight into the line, and is written again,
			// quoted, in the few cases that need quotes.
			start := len(line)
			line = appendCell(line, c, v.Field(c.field))
			if csvNeedsQuotes(line[start:]) {
				e.cell = append(e.cell[:0], line[start:]...)
				line = appendCSVField(line[:start], e.cell)
			}
		}
		line = append(line, '\n')
		if _, err := e.w.Write(line); err != nil {
			return err
		}
	}
	return nil
}

// appendCell appends one value as CSV shows it, before quoting: lists
// joined by "; ", unknown values empty.
func appendCell(b []byte, c Column, f reflect.Value) []byte {
	if c.Type == "list" {
		for j := range f.Len() {
			if j > 0 {
				b = append(b, "; "...)
			}
			b = append(b, f.Index(j).String()...)
		}
		return b
	}
	if c.Optional && f.IsZero() {
		return b
	}
	return appendScalar(b, c, f, false)
}

// appendCSVField appends field, quoted when encoding/csv's Writer would
// quote it.
func appendCSVField(b, field []byte) []byte {
	if !csvNeedsQuotes(field) {
		return append(b, field...)
	}
	b = append(b, '"')
	for {
		i := bytes.IndexByte(field, '"')
		if i < 0 {
			break
		}
		b = append(b, field[:i+1]...)
		b = append(b, '"')
		field = field[i+1:]
	}
	b = append(b, field...)
	return append(b, '"')
}

// csvNeedsQuotes is encoding/csv's Writer.fieldNeedsQuotes for a comma
// separator.
func csvNeedsQuotes(field []byte) bool {
	if len(field) == 0 {
		return false
	}
	if string(field) == `\.` {
		return true
	}
	for _, c := range field {
		if csvSpecial[c] {
			return true
		}
	}
	if field[0] < utf8.RuneSelf {
		return asciiSpace[field[0]]
	}
	r, _ := utf8.DecodeRune(field)
	return unicode.IsSpace(r)
}

// csvSpecial marks the bytes that make a field quoted wherever they are.
var csvSpecial = [256]bool{'\n': true, '\r': true, '"': true, ',': true}

// asciiSpace marks the ASCII bytes that unicode.IsSpace accepts.
var asciiSpace = [256]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

func (e *csvEncoder[T]) Close() error { return e.w.Flush() }

type ndjsonEncoder[T any] struct {
	w    *bufio.Writer
	cols []Column
	keys []string // each column's name as a JSON string and a colon, preceded by a comma from the second on
}

func newNDJSONEncoder[T any](w io.Writer) *ndjsonEncoder[T] {
	e := &ndjsonEncoder[T]{w: bufio.NewWriterSize(w, 64<<10), cols: Columns[T]()}
	for k, c := range e.cols {
		var key []byte
		if k > 0 {
			key = append(key, ',')
		}
		e.keys = append(e.keys, string(append(appendJSONString(key, c.Name), ':')))
	}
	return e
}

func (e *ndjsonEncoder[T]) Write(rows []T) error {
	for i := range rows {
		v := reflect.ValueOf(&rows[i]).Elem()
		b := append(e.w.AvailableBuffer(), '{') // no copy when the line fits
		for k, c := range e.cols {
			b = append(b, e.keys[k]...)
			f := v.Field(c.field)
			switch {
			case c.Type == "list":
				b = append(b, '[')
				for j, s := range f.Interface().([]string) {
					if j > 0 {
						b = append(b, ',')
					}
					b = appendJSONString(b, s)
				}
				b = append(b, ']')
			case c.Optional && f.IsZero():
				b = append(b, "null"...)
			default:
				b = appendScalar(b, c, f, true)
			}
		}
		b = append(b, '}', '\n')
		if _, err := e.w.Write(b); err != nil {
			return err
		}
	}
	return nil
}

func (e *ndjsonEncoder[T]) Close() error { return e.w.Flush() }

// appendScalar appends the value f of column c, quoted as a JSON string
// where a string is due when asJSON is set.
func appendScalar(b []byte, c Column, f reflect.Value, asJSON bool) []byte {
	if f.Kind() == reflect.Pointer {
		f = f.Elem()
	}
	str := func(s string) []byte {
		if asJSON {
			return appendJSONString(b, s)
		}
		return append(b, s...)
	}
	// Dates and times need no escaping in JSON: digits, '-', ':', '.',
	// 'T', 'Z' and '+'.
	quote := func(b []byte) []byte {
		if asJSON {
			return append(b, '"')
		}
		return b
	}
	switch c.Type {
	case "date":
		return quote(appendDay(quote(b), f.Int()))
	case "timestamp":
		// Through the pointer: Interface on the struct would copy it to
		// the heap, once a row.
		return quote(appendInstant(quote(b), f.Addr().Interface().(*time.Time)))
	case "string":
		return str(f.String())
	case "number":
		v := f.Float()
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return append(b, "null"...) // impossible for our values; JSON has no NaN
		}
		// A whole number below 2^53 (most amounts in base units) is its
		// own shortest representation: the digits AppendFloat would find
		// with more work.
		if v == math.Trunc(v) && math.Abs(v) < 1<<53 && (v != 0 || !math.Signbit(v)) {
			return strconv.AppendInt(b, int64(v), 10)
		}
		return strconv.AppendFloat(b, v, 'f', -1, 64)
	case "integer":
		return strconv.AppendInt(b, f.Int(), 10)
	case "boolean":
		return strconv.AppendBool(b, f.Bool())
	}
	panic("export: unknown column type " + c.Type) // impossible: columnsOf sets one of the above
}

// appendDay appends day n since 1970-01-01 as YYYY-MM-DD, as
// time.Unix(n*86400, 0).UTC().AppendFormat(b, time.DateOnly) does for
// the years 0 to 9999, with Howard Hinnant's civil_from_days (a date
// column is written for every row; the time package's formatting costs
// several times more).
func appendDay(b []byte, n int64) []byte {
	z := n + 719468
	era := z / 146097
	if z < 0 {
		era = (z - 146096) / 146097
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	if y < 0 || y > 9999 {
		return time.Unix(n*86400, 0).UTC().AppendFormat(b, time.DateOnly)
	}
	return append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+m/10), byte('0'+m%10), '-', byte('0'+d/10), byte('0'+d%10))
}

// appendInstant appends t as t.AppendFormat(b, "2006-01-02T15:04:05.000Z07:00")
// does; in UTC (the rows' instants are) without the time package's
// layout interpreter.
func appendInstant(b []byte, t *time.Time) []byte {
	const layout = "2006-01-02T15:04:05.000Z07:00"
	if t.Location() != time.UTC {
		return t.AppendFormat(b, layout)
	}
	sec := t.Unix()
	days := sec / 86400
	if sec < 0 && sec%86400 != 0 {
		days--
	}
	y := len(b)
	b = appendDay(b, days)
	if len(b)-y != len(time.DateOnly) { // a year outside 0 to 9999
		return t.AppendFormat(b[:y], layout)
	}
	s := sec - days*86400
	ms := t.Nanosecond() / 1e6
	return append(b, 'T', byte('0'+s/36000), byte('0'+s/3600%10), ':', byte('0'+s/600%6), byte('0'+s/60%10), ':',
		byte('0'+s%60/10), byte('0'+s%10), '.', byte('0'+ms/100), byte('0'+ms/10%10), byte('0'+ms%10), 'Z')
}

// appendJSONString appends s as a JSON string: quotes, backslashes and
// control characters escaped, invalid UTF-8 replaced by U+FFFD.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

type parquetEncoder[T any] struct {
	w *parquet.GenericWriter[T]
}

func (e *parquetEncoder[T]) Write(rows []T) error {
	_, err := e.w.Write(rows)
	return err
}

func (e *parquetEncoder[T]) Close() error { return e.w.Close() }
