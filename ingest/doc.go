// Package ingest is dealwire's fetch stage: it polls the configured RSS, Atom
// and JSON feeds, fetches the pages of items whose feed content is short,
// extracts each page's main text and metadata, and publishes one
// [news.Article] per story to the ARTICLES stream.
//
// In: a feed list ([Config.Feeds], [LoadFeeds]). Out: JetStream messages on
// [news.ArticleSubject] with the article id and a hash of its text (and, for
// an entry its feed marks revised, its title) as Nats-Msg-Id, so the stream's
// duplicate window drops re-publishes and lets corrections through. An item
// counts as done only once its PubAck has arrived; until then it is retried
// on the next poll. Feed state (validators, seen items, backoff) lives in a
// JetStream key-value bucket so that a restarted or different fetch replica
// carries on where the last left.
//
// The HTTP side is meant for the open web: conditional GET, Retry-After,
// robots.txt, a per-host concurrency limit and delay, caps on size, time and
// redirects, and a dial guard that refuses private and loopback addresses
// (checked on the resolved address at dial time) unless [Config.AllowPrivate]
// lets them through.
//
// Main text comes from go-trafilatura (with its readability and DOM-distiller
// fallbacks); this package adds the JSON-LD articleBody when the page hides
// its text there, metadata from JSON-LD, OpenGraph and meta tags, date sanity
// checks, canonical URLs and bot-wall recognition.
//
// WebSub: with [Config.WebSubCallback] set, feeds that advertise a hub are
// subscribed and [Poller.WebSubHandler] (mounted by the caller at that URL)
// publishes pushed entries; polling stays the fallback.
package ingest
