// Package bus is the message contract between dealwire's stages on NATS
// JetStream: connecting (to a cluster, or to a server embedded in the
// process), declaring the ARTICLES, RECORDS, DEALS and DEAD streams,
// publishing with a message id and waiting for the PubAck, and consuming
// with durable pull consumers whose handlers never ack.
//
// Handlers return an error and one adapter, [Settle], turns it into the ack:
// nil → Ack; [news.Permanent] (from delivery Config.MaxDeliver on, the first
// by default) → the message goes to dealwire.dead.<stage> with the reason in
// a header, then Term; anything else is retryable → NakWithDelay with
// exponential backoff, for as many deliveries as it takes. The dead-letter
// publish is itself acked by JetStream before the Term, so nothing is
// dropped silently. A handler panic is recovered and dead-lettered with its
// stack. While a stage's store fails, the [Consumer] stops fetching and
// probes it (see [Stage.Probe]); long handlers keep their messages with
// in-progress acks. [ListDead] and [ReplayDead] read dead letters back and
// re-drive them to their stage.
package bus
