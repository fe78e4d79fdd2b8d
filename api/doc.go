// Package api serves dealwire's search over HTTP: GET /api/search with the
// query model of package index, GET /api/articles/{id} for one record, GET /api/deals and
// GET /api/deals/{id} for resolved deals (one per round, with its sources),
// GET /api/chart for deal count and USD per month of a query, a web search
// page at /, /healthz and /metrics.
//
// The page (page.html, embedded) renders what it reads from the API with a
// little JavaScript: each deal's evidence sentence with its figures
// highlighted (spans are UTF-8 byte offsets, cut as bytes), its sources by
// outlet name, confidence and conflicts, the chart, export links to
// GET /api/export with the query's parameters, and the deal (?view=deal)
// and article (?view=article) views, where the deal's anchored spans are
// outlined in its source's text.
//
// Searches hide deals the extractor's model scored below min_confidence
// (default [Config.Search], min_confidence=0 shows all); GET /api/articles/{id}
// and GET /api/deals/{id} return what is stored, every deal included.
//
// With [Config.Token] set, every path but /, /healthz and /metrics needs
// "Authorization: Bearer <token>" (401 with WWW-Authenticate otherwise); the
// page asks for the token once and keeps it in the tab's sessionStorage.
//
// In: HTTP requests. Out: JSON answers read from whichever index backend the
// caller passes in (Elasticsearch or the embedded SQLite index). It writes
// nothing and acks nothing.
package api
