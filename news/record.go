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
// article's [Article.MsgID] and the extractor version. Re-extracting the same
// text with the same extractor is dropped by the duplicate window; an edited
// text or a new extractor version publishes anew.
func (r Record) MsgID() string { return r.Article.MsgID() + "/" + r.ExtractorVersion }
