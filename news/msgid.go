package news

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"hash"
)

// The message ids of both streams are an article id and a hash of what the
// message says, so that the stream's duplicate window drops a repeat and
// lets every correction through. The hash covers the content byte for byte:
// a figure, a currency sign, a comma or the case of a name is a change. It
// leaves out how and when the article was seen (its link, feed, source,
// fetch and extraction times, the feed's dates, authors and tags), which
// differ between two feeds carrying the same article and between two
// fetches of an unchanged one; those travel with the next content change.

// ContentHash returns a hash of a's id, title and text, in hex. Any change
// to them, down to one byte, changes it; nothing else does.
func (a Article) ContentHash() string {
	h := sha256.New()
	a.writeContent(h)
	return hex.EncodeToString(h.Sum(nil)[:16])
}

func (a Article) writeContent(h hash.Hash) {
	writePart(h, []byte(a.ID))
	writePart(h, []byte(a.Title))
	writePart(h, []byte(a.Text))
}

// ContentHash returns a hash of r's article content ([Article.ContentHash]),
// its extractor version and every extracted fact, in hex. A new text, title,
// extractor or extraction result changes it; a new extraction time does not.
func (r Record) ContentHash() string {
	h := sha256.New()
	r.Article.writeContent(h)
	writePart(h, []byte(r.ExtractorVersion))
	facts, err := json.Marshal(r.Extraction)
	if err != nil {
		// Only a value JSON cannot hold (an infinite amount) gets here,
		// and then the record itself cannot be encoded for publishing
		// either; the error text keeps the id distinct from a record
		// without facts.
		facts = []byte("unencodable extraction: " + err.Error())
	}
	writePart(h, facts)
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// writePart writes p with its length in front, so that moving bytes from one
// part to the next (the end of a title to the start of a text) changes the hash.
func writePart(h hash.Hash, p []byte) {
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(len(p)))
	h.Write(n[:])
	h.Write(p)
}
