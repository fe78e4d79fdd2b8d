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
// Backends: package elastic (Elasticsearch, distributed) and package sqlite
// (embedded, one machine). Package indextest is the conformance suite both pass.
package index
