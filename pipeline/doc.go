// Package pipeline builds dealwire's stages from the configuration and runs
// them: every stage in one process ([RunAll], "dealwire run"), or one stage
// per process ([Fetch], [Extract], [Index], [Alerts], [Serve]).
//
// In: a loaded [config.Config]. Out: running stages, each a package of its
// own ([ingest.Poller], [extractstage.Stage], [indexstage.Stage],
// [dealindexstage.Stage], [alerts.Stage]) and the search API ([api]), on
// the connections this package opens once per process: NATS ([bus.Open]),
// the index (SQLite or Elasticsearch, [OpenStore]) and the HTTP and
// /metrics listeners. It holds no stage logic and acks nothing; the stages
// do. It is the composition root the binary calls after parsing its flags,
// and no other package imports it (a test in cmd/dealwire checks that).
//
// Shutdown order, for every process: the poller stops publishing and each
// consumer stops fetching and settles (acks) the batch it holds, so nothing
// in flight is redelivered; then the store closes, flushing what it
// buffered; then the NATS connection drains, and last the embedded server,
// if the process started one, shuts down.
package pipeline
