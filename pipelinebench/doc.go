// Package pipelinebench holds the pipeline benchmark: articles published to
// a real in-process JetStream server go through the extract stage
// ([extractstage]) and the index stages ([indexstage], [dealindexstage])
// into a real Elasticsearch node, as "dealwire run" wires them, with every
// setting at its default. It measures articles per second end to end, and
// the time from publishing an article to finding it with a search, at a
// steady moderate rate.
//
// The package has no code of its own; the benchmark is in its tests.
// scripts/bench-pipeline runs it; CI runs it once at a tiny size.
package pipelinebench
