package api

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/dealwire/dealwire/export"
)

// export answers GET /api/export?format=csv|ndjson|parquet&rows=deals|investors|amounts
// with the parameters of /api/search: the matching resolved deals as a
// file, streamed a page at a time (see package export). Each page is
// bounded by the query timeout, the whole download only by the client.
// USD values and FX columns use [Config.Rates], the process's FX table
// (the index's and "dealwire export"'s), or the shipped one when unset.
//
// Bad parameters are answered with 400 and a JSON error, and an index
// that fails before the first bytes with 502. One that fails later cuts
// the connection, so that the client sees a failed download rather than a
// file that merely looks short.
func (h *handler) export(w http.ResponseWriter, r *http.Request) {
	params := r.URL.Query()
	f, ferr := export.ParseFormat(params.Get("format"))
	rows, rerr := export.ParseRows(params.Get("rows"))
	q, qerr := h.parseQuery(params)
	if err := errors.Join(ferr, rerr, qerr); err != nil {
		writeJSON(w, http.StatusBadRequest, apiError{Error: err.Error()})
		return
	}
	ds, ok := h.dealBackend(w)
	if !ok {
		return
	}
	name := fmt.Sprintf("dealwire-%s-%s.%s", rows, time.Now().UTC().Format("20060102-150405"), f)
	w.Header().Set("Content-Type", f.ContentType())
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	p, err := export.Export(r.Context(), w, ds, export.Options{Format: f, Rows: rows, Query: q, PageTimeout: h.timeout, Rates: h.rates})
	switch {
	case err == nil:
		h.logger.Info("exported", "format", f, "rows", rows, "rows_written", p.Written, "deals", p.Deals, "bytes", p.Bytes, "duration", p.Elapsed)
	case errors.Is(err, export.ErrIncomplete):
		h.logger.Error("exporting", "format", f, "rows", rows, "query", r.URL.RawQuery, "error", err)
		panic(http.ErrAbortHandler) // the status is sent: only a cut connection tells the client
	default:
		h.logger.Error("exporting", "format", f, "rows", rows, "query", r.URL.RawQuery, "error", err)
		w.Header().Del("Content-Disposition")
		writeJSON(w, http.StatusBadGateway, apiError{Error: "exporting " + string(rows) + ": " + err.Error()})
	}
}
