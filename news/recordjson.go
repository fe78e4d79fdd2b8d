package news

import (
	"bytes"
	"errors"
	"fmt"
	"unicode/utf8"

	jsonv2 "github.com/go-json-experiment/json"
	jsonv1 "github.com/go-json-experiment/json/v1"
)

// RecordDecoding are the options of a decoder of records' JSON as the
// stages read it from RECORDS: encoding/json's semantics
// ([jsonv1.DefaultOptionsV1]), as every reader of records has, without its
// error reporting (ReportErrorsWithLegacySemantics), for which the decoder
// validates the whole input before it decodes it: a second pass over every
// byte, a third of the decoder's work. Whether a record decodes does not
// depend on it, only the error's wording, so [DecodeRecord] decodes a
// record that fails once more to report encoding/json's error.
var RecordDecoding = jsonv2.JoinOptions(jsonv1.DefaultOptionsV1(), jsonv1.ReportErrorsWithLegacySemantics(false))

// DecodeRecord decodes a message of RECORDS; a message that is no record
// (not JSON, a field of the wrong type, no article id) is a [Permanent]
// error that names encoding/json's reason.
func DecodeRecord(data []byte) (Record, error) {
	var r Record
	if err := jsonv2.Unmarshal(data, &r, RecordDecoding); err != nil {
		// Decode it again for encoding/json's error message (see RecordDecoding).
		var again Record
		if lerr := jsonv2.Unmarshal(data, &again, jsonv1.DefaultOptionsV1()); lerr != nil {
			err = lerr
		}
		return Record{}, Permanent(fmt.Errorf("decoding record: %w", err))
	}
	if r.Article.ID == "" {
		return Record{}, Permanent(errors.New("decoding record: no article id"))
	}
	return r, nil
}

// StorableJSON reports whether a record's JSON as it came from the stream
// can be stored as it is: valid UTF-8 (the decoder replaced what was not,
// an encoder would too) and on one line (a bulk request is one document a
// line).
func StorableJSON(data []byte) bool {
	return utf8.Valid(data) && bytes.IndexByte(data, '\n') < 0 && bytes.IndexByte(data, '\r') < 0
}
