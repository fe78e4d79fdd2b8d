// Package api serves dealwire's search over HTTP: GET /api/search with the
// query model of package index, GET /api/articles/{id} for one record, GET /api/deals and
// GET /api/deals/{id} for resolved deals (one per round, with its sources),
// GET /api/chart for deal count and USD per month of a query, a web search
// page at /, /healthz and /metrics.
//
// The page is rendered on the server with html/template (web/*.html,
// embedded), so it works with JavaScript off: GET / with the search
// parameters of /api/search (and view=deals) in its address answers the
// search through the API's code path and shows the hits, each deal's
// evidence sentence with its figures marked (spans are UTF-8 byte offsets),
// its sources by outlet name, confidence and conflicts, facets as links that
// add or remove a filter, the per-month chart as inline SVG and export links
// to GET /api/export with the query's parameters. GET /deals/{id} shows what
// each source said, and GET /articles/{id}?deal= a source's record with every
// fact highlighted and the deal's own outlined. web/page.js only enhances
// (a choice in a select searches at once; keys / j k n).
//
// Searches hide deals the extractor's model scored below min_confidence
// (default [Config.Search], min_confidence=0 shows all); GET /api/articles/{id}
// and GET /api/deals/{id} return what is stored, every deal included.
//
// With [Config.Token] set, every path but /healthz, /metrics, the page's
// style sheet and script and its token form (/login) needs "Authorization:
// Bearer <token>" or the page's session cookie: 401 with WWW-Authenticate
// otherwise, JSON for /api/ and the token form for a page. The form (POST
// /login) sets the cookie: HttpOnly, SameSite=Strict, Secure over HTTPS, its
// value an expiry signed with the token (HMAC-SHA256), so the server keeps
// no sessions and changing the token ends them all.
//
// In: HTTP requests. Out: JSON answers and HTML pages read from whichever
// index backend the caller passes in (Elasticsearch or the embedded SQLite
// index). It writes nothing and acks nothing.
package api
