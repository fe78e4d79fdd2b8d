// Package bus is the message contract between dealwire's stages on NATS
// JetStream: connecting (to a cluster, or to a server embedded in the
// process), declaring the ARTICLES, RECORDS and DEAD streams, publishing with
// a message id and waiting for the PubAck, and consuming with durable pull
// consumers whose handlers never ack.
//
// Handlers return an error and one adapter, [Settle], turns it into the ack:
// nil → Ack; [news.Permanent] or the last allowed delivery → the message goes
// to dealwire.dead.<stage> with the reason in a header, then Term; anything
// else → NakWithDelay with exponential backoff. The dead-letter publish is
// itself acked by JetStream before the Term, so nothing is dropped silently.
package bus
