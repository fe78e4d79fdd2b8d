package news

import (
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// SchemaVersion is the value of the "v" field of every payload this version
// writes. It changes only when a field changes meaning, never when one is added.
const SchemaVersion = 1

// Article is one news article as the fetch stage publishes it to the ARTICLES
// stream. Text is the exact UTF-8 string that every span in a [Record] points into.
type Article struct {
	V            int       `json:"v"`
	ID           string    `json:"id"`            // ArticleID(CanonicalURL)
	URL          string    `json:"url"`           // the address the item linked to
	CanonicalURL string    `json:"canonical_url"` // normalised; the id is its hash
	Source       string    `json:"source"`        // feed name, e.g. "techcrunch"
	FeedURL      string    `json:"feed_url,omitempty"`
	Title        string    `json:"title"`
	Text         string    `json:"text"`
	Authors      []string  `json:"authors,omitempty"`
	Lang         string    `json:"lang,omitempty"`
	PublishedAt  time.Time `json:"published_at,omitzero"`
	// DateSource says where PublishedAt came from: "feed", "jsonld", "meta", "fetched".
	DateSource string    `json:"date_source,omitempty"`
	FetchedAt  time.Time `json:"fetched_at"`
	Tags       []string  `json:"tags,omitempty"`
	// Fingerprint is the SimHash of Text for near-duplicate detection, in
	// the form dedup.FormatFingerprint writes; the extract stage sets it.
	// It ignores everything but words, so it is no part of any message id.
	Fingerprint string `json:"fingerprint,omitempty"`
	// Outlet is the publication's name as readers know it ("TechCrunch"):
	// the page's og:site_name (or JSON-LD publisher), else the feed's own
	// title, else the configured feed name. Source stays the short subject
	// token; pages show Outlet, or Source when it is empty.
	Outlet string `json:"outlet,omitempty"`
}

// MsgID is the JetStream message id of a on the ARTICLES stream: its id and
// its [Article.ContentHash]. The same article published twice (two feeds, a
// replay, a feed entry updated without a change to the text) is dropped by
// the stream's duplicate window; any edit of the title or text, even of one
// figure or currency sign, gets through and, keeping its id, updates the
// record downstream.
func (a Article) MsgID() string { return a.ID + "/" + a.ContentHash() }

// ArticleID returns the stable id of the article whose canonical URL is u: the
// first 16 bytes of its SHA-256, in hex. It is the JetStream message id and the
// index document id, so re-publishing or re-indexing the same article is harmless.
func ArticleID(canonicalURL string) string {
	sum := sha256.Sum256([]byte(canonicalURL))
	return hex.EncodeToString(sum[:16])
}
