package index

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
)

// ErrBadCursor is returned by Search for a [Query.After] that no backend wrote.
var ErrBadCursor = fmt.Errorf("bad cursor")

// EncodeCursor turns a backend's position into the opaque [Result.Next].
func EncodeCursor(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("index: cursor %T does not marshal: %v", v, err)) // impossible: backends pass plain structs
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// DecodeCursor reads a cursor written by [EncodeCursor] into v.
func DecodeCursor(s string, v any) error {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrBadCursor, err) // %v: the base64 detail is no use to callers
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%w: %v", ErrBadCursor, err)
	}
	return nil
}
