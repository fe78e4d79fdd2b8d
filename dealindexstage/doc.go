// Package dealindexstage is the pipeline's deal-indexing stage: it writes
// resolved deals to the index.
//
// In: deal-change messages from the DEALS stream (dealwire.deal.<round>),
// pulled in batches by the durable consumer "index-deals". A message only
// says which deal changed: what is written is the deal's current state read
// from the resolver's bucket ([deals.Resolver.Current]), so extract replicas
// publishing out of order cannot leave a stale deal in the index. Out: one
// bulk write of the batch's deals ([index.DealStore.IndexDeals]); a
// tombstone deletes its deal. The consumer has one worker, so two writes of
// one deal never race.
//
// Acks: the handler never acks. Every message of a deal is settled by that
// deal's item result: nil acks, [news.Permanent] dead-letters to
// dealwire.dead.index-deals, anything else retries. While the store fails
// the stage pauses and probes it.
//
// [Replay] writes every deal the resolver holds ("dealwire index reindex").
//
// The stage imports neither the fetch stage ([ingest]) nor the extractor
// ([extract]).
package dealindexstage
