// Package index is where records become searchable: the query model that the
// HTTP API and the command line share ([Query], [ParseQuery], [Result]), the
// [Store] interface that both backends implement, and the flattened document
// ([Doc]) both backends derive from a [news.Record] at index time.
//
// In: decoded [news.Record]s from the RECORDS stream, in batches. Out: one
// error per record from [Store.Index]; the index stage acks, naks or
// dead-letters each message by it (nil = stored, [news.IsPermanent] = never
// retry, anything else = retry later). The store never acks anything itself.
//
// Resolved deals ([news.DealRecord]) live in an index of their own beside
// the records, searched with the same [Query] through [DealStore].
//
// Every deal is indexed with the extractor model's confidence, whatever it
// is; a query hides the doubtful ones at search time ([Query.MinConfidence],
// default [Config.MinConfidence]), so changing the threshold never needs a
// reindex.
//
// Backends: package elastic (Elasticsearch, distributed) and package sqlite
// (embedded, one machine); both implement [Store] and [DealStore]. Package
// indextest is the conformance suite both pass, and their benchmark.
package index
