// Package extractstage is the pipeline's extract stage: it turns articles
// into records and resolved deals.
//
// In: articles from the ARTICLES stream (dealwire.article.<source>), pulled
// by the durable consumer "extract". Each article gets its SimHash
// ([news.Article.Fingerprint]); when the near-duplicate index ([dedup])
// knows an earlier article with a close fingerprint, the article takes that
// article's id, so a republication under a new URL updates the earlier
// record. Then [extract.ExtractChecked] reads the text, every amount gets
// its approximate US-dollar value from the process's FX table, and the
// record goes out.
//
// Out: the record on RECORDS (dealwire.record.<source>, message id
// [news.Record.MsgID]), then every deal record the resolver ([deals])
// changed on DEALS (dealwire.deal.<round>, message id: the deal id and a
// hash of the deal record).
//
// Acks: the stage's handler never acks. It returns only after every output
// was accepted (the RECORDS and DEALS PubAcks, the compare-and-set of the
// deal and dedup buckets; the outputs are published without waiting for
// each PubAck, and all of them are awaited at the end), and the consumer's adapter ([bus.Consumer]) acks,
// retries or dead-letters (dealwire.dead.extract) by its result. While
// JetStream fails the stage pauses and probes it.
//
// The stage imports neither the fetch stage ([ingest]) nor the index.
package extractstage
