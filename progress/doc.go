// Package progress reports how far the pipeline has got, in the log of
// "dealwire run": how many messages each stream (ARTICLES, RECORDS, DEALS)
// holds and how many wait for the stage that consumes it. It reads stream
// and consumer state from JetStream and acks nothing.
package progress
