// Package faults holds the faults suite: a test that runs the pipeline's
// stages as separate OS processes ("dealwire fetch", "dealwire extract
// --stage", "dealwire index") against a real nats-server process and a real
// Elasticsearch node, loads generated funding news from local feeds (with
// cross-feed duplicates and tracking parameters), and meanwhile SIGKILLs the
// extract and index workers, stops Elasticsearch for a minute or more and
// restarts the NATS server. At the end the index must hold exactly the
// unique articles and the resolved deals, with nothing dead-lettered and
// nothing duplicated.
//
// The package has no code of its own; the suite is in its tests. CI runs it
// at a small size (scripts/test); scripts/faults runs the long version and
// prints its figures.
package faults
