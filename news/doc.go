// Package news holds the wire types the dealwire stages share: the article a
// fetcher publishes, the record an extractor publishes, the facts inside it
// with their byte spans, the subject and stream names that connect the stages,
// and the error class that tells the ack adapter not to retry.
//
// It imports the standard library only. Payloads are JSON with a "v" field;
// fields are only ever added, and readers ignore fields they do not know.
package news
