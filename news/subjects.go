package news

import "strings"

// Stream names. ARTICLES carries [Article]s from fetch to extract, RECORDS
// carries [Record]s from extract to index and alerts, DEALS carries the
// [DealRecord]s that deal resolution created or changed.
const (
	StreamArticles = "ARTICLES"
	StreamRecords  = "RECORDS"
	StreamDeals    = "DEALS"
	StreamDead     = "DEAD"
)

// Subject wildcards that the streams capture.
const (
	ArticleSubjects = "dealwire.article.>"
	RecordSubjects  = "dealwire.record.>"
	DealSubjects    = "dealwire.deal.>"
	DeadSubjects    = "dealwire.dead.>"
)

// DealSubject is the subject a deal record is published on, by its round.
func DealSubject(round string) string { return "dealwire.deal." + Token(round) }

// ArticleSubject is the subject an article from source is published on.
func ArticleSubject(source string) string { return "dealwire.article." + Token(source) }

// RecordSubject is the subject a record from source is published on.
func RecordSubject(source string) string { return "dealwire.record." + Token(source) }

// DeadSubject is where stage puts messages it gave up on.
func DeadSubject(stage string) string { return "dealwire.dead." + Token(stage) }

// Token turns s into one valid subject token: lower case ASCII letters,
// digits, '-' and '_'; everything else becomes '_'. An empty s is "unknown".
func Token(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	if b.Len() == 0 {
		return "unknown"
	}
	return b.String()
}
