// Package indexstage is the pipeline's index stage: it writes records to
// the index.
//
// In: records from the RECORDS stream (dealwire.record.<source>), pulled in
// batches by the durable consumer "index". Out: one bulk write of each batch
// to the store ([index.Store.Index]; a store that decodes records itself,
// as the Elasticsearch store does, gets the messages' JSON undecoded), the
// document id being the article id, so a redelivered or corrected record
// overwrites its earlier version. A batch cut short by the flush interval
// (the stage keeps up with the stream) is refreshed before it is acked
// ([index.Store.Refresh]), so that at a moderate rate a record is
// searchable within the flush interval of its publication rather than also
// the index's refresh interval later.
//
// Acks: the handler never acks. Each message is settled by its own item's
// result: nil acks it, an error marked [news.Permanent] (an undecodable
// record, a mapping rejection) dead-letters it to dealwire.dead.index, any
// other error naks it for a retry. While the store fails the stage pauses
// and probes it.
//
// [Replay] rebuilds the index from the whole RECORDS stream ("dealwire
// index reindex").
//
// The stage imports neither the fetch stage ([ingest]) nor the extractor
// ([extract]).
package indexstage
