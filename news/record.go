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

// MsgID is the JetStream message id of r on the RECORDS stream: a re-extraction
// by the same extractor version is dropped by the duplicate window, while a new
// version publishes anew.
func (r Record) MsgID() string { return r.Article.ID + "/" + r.ExtractorVersion }
