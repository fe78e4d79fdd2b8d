package news

import "time"

// Record is what the extract stage publishes to the RECORDS stream and the
// index stores: the article, what was extracted from it, and by which
// extractor version. Its document id in the index is Article.ID.
type Record struct {
	V                int        `json:"v"`
	Article          Article    `json:"article"`
	ExtractorVersion string     `json:"extractor_version"`
	ExtractedAt      time.Time  `json:"extracted_at"`
	Extraction       Extraction `json:"extraction"`
}

// MsgID is the JetStream message id of r on the RECORDS stream: the
// article's id and the record's [Record.ContentHash]. Re-extracting the same
// article with the same result (a redelivery, a replay) is dropped by the
// duplicate window; a correction of the title, of the text (a figure, a
// currency, a name) or of the extracted facts, and a new extractor version,
// publish anew and so reach the index.
func (r Record) MsgID() string { return r.Article.ID + "/" + r.ContentHash() }
