// Package sample holds dealwire's bundled sample: fictional funding-news
// articles written for the project (data/*.yaml, embedded), and the HTTP
// handler that serves them as the feeds and article pages of seven made-up
// outlets, so that "dealwire run --sample" can show the whole pipeline
// working on a machine without network access.
//
// In: nothing but the embedded files. Out: RSS 2.0, Atom and JSON Feed
// documents and HTML article pages, with absolute links built from the
// request's host, so the handler works on whatever loopback port it is
// given. The sample behaves like real news: several outlets report the same
// rounds in their own words and figure formats; one outlet's second feed
// repeats items with tracking parameters on their links; a wire story is
// republished under another outlet's address; a few feeds carry only a
// summary and leave the full text to the page; and some entries are
// corrected: from a feed's second request on, those entries carry a newer
// updated date and the corrected figure.
//
// Nothing here is real: every company, investor, person and outlet is
// invented (see README.md in this directory).
package sample
