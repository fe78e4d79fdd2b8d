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
		return &ndjsonEncoder[T]{w: bufio.NewWriterSize(w, 64<<10), cols: Columns[T]()}, nil
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
	line []byte // the line being built
	cell []byte // the cell being built, before quoting
}

func newCSVEncoder[T any](w io.Writer) (*csvEncoder[T], error) {
	e := &csvEncoder[T]{w: bufio.NewWriterSize(w, 64<<10), cols: Columns[T]()}
	for i, c := range e.cols {
		if i > 0 {
			e.line = append(e.line, ',')
		}
		e.line = appendCSVField(e.line, []byte(c.Name))
	}
	e.line = append(e.line, '\n')
	if _, err := e.w.Write(e.line); err != nil {
		return nil, err
	}
	return e, nil
}

func (e *csvEncoder[T]) Write(rows []T) error {
	for i := range rows {
		v := reflect.ValueOf(&rows[i]).Elem()
		line := e.line[:0]
		for k, c := range e.cols {
			if k > 0 {
				line = append(line, ',')
			}
			e.cell = appendCell(e.cell[:0], c, v.Field(c.field))
			line = appendCSVField(line, e.cell)
		}
		line = append(line, '\n')
		e.line = line
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
		if c == '\n' || c == '\r' || c == '"' || c == ',' {
			return true
		}
	}
	r, _ := utf8.DecodeRune(field)
	return unicode.IsSpace(r)
}

func (e *csvEncoder[T]) Close() error { return e.w.Flush() }

type ndjsonEncoder[T any] struct {
	w    *bufio.Writer
	cols []Column
	line []byte
}

func (e *ndjsonEncoder[T]) Write(rows []T) error {
	for i := range rows {
		v := reflect.ValueOf(&rows[i]).Elem()
		b := append(e.line[:0], '{')
		for k, c := range e.cols {
			if k > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, c.Name)
			b = append(b, ':')
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
		e.line = b
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
		return quote(time.Unix(f.Int()*86400, 0).UTC().AppendFormat(quote(b), time.DateOnly))
	case "timestamp":
		return quote(f.Interface().(time.Time).AppendFormat(quote(b), "2006-01-02T15:04:05.000Z07:00"))
	case "string":
		return str(f.String())
	case "number":
		v := f.Float()
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return append(b, "null"...) // impossible for our values; JSON has no NaN
		}
		return strconv.AppendFloat(b, v, 'f', -1, 64)
	case "integer":
		return strconv.AppendInt(b, f.Int(), 10)
	case "boolean":
		return strconv.AppendBool(b, f.Bool())
	}
	panic("export: unknown column type " + c.Type) // impossible: columnsOf sets one of the above
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
