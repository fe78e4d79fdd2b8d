package elastic

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	jsonv2 "github.com/go-json-experiment/json"
	"golang.org/x/sync/errgroup"

	"github.com/dealwire/dealwire/news"
	"github.com/dealwire/dealwire/obs"
)

// ItemError is the failure of one document of a bulk request.
type ItemError struct {
	ID     string
	Status int
	Type   string // Elasticsearch's error type, e.g. document_parsing_exception
	Reason string
}

func (e *ItemError) Error() string {
	if e.Type == "" {
		return fmt.Sprintf("indexing %s: status %d", e.ID, e.Status)
	}
	return fmt.Sprintf("indexing %s: status %d: %s: %s", e.ID, e.Status, e.Type, e.Reason)
}

// classifyItem decides what a bulk item's outcome means for its message, the
// way libbeat does: 2xx stored (nil); 429 and 5xx transient (retry later);
// an error about the cluster's state rather than the document (see
// storeConditions) transient too; any other status permanent (a mapping
// error or a bad document: retrying the same bytes fails the same way),
// marked with [news.Permanent].
func classifyItem(id string, status int, e *esError) error {
	if status >= 200 && status < 300 {
		return nil
	}
	ie := &ItemError{ID: id, Status: status}
	if e != nil {
		ie.Type, ie.Reason = e.Type, e.reason()
	}
	if status == http.StatusTooManyRequests || status >= 500 || status == 0 || status == http.StatusUnauthorized || storeConditions[ie.Type] {
		return ie
	}
	return news.Permanent(ie)
}

// storeConditions are item error types that say the cluster cannot take
// writes now (a write or read-only block, a missing index, refused
// credentials), whatever the document: the write succeeds once an operator
// fixes the cluster, so the message waits instead of being dead-lettered.
var storeConditions = map[string]bool{
	"cluster_block_exception":   true,
	"index_not_found_exception": true,
	"security_exception":        true,
}

// bulkItem is one entry of a bulk answer's items.
type bulkItem struct {
	ID     string   `json:"_id"`
	Status int      `json:"status"`
	Error  *esError `json:"error"`
}

// bulkAnswerFields is the filter_path of a bulk request: the fields of
// [bulkAnswer] and [bulkItem].
const bulkAnswerFields = "errors,items.*._id,items.*.status,items.*.error"

// bulkAnswer is a bulk request's answer, decoded with the v2 engine
// (jsonv2's defaults: names matched exactly, as Elasticsearch writes
// them). Each item is an object with one key, its action's name; as a
// struct of the four actions, not a map, an item costs its id's string
// alone instead of a map and its key too (a sixth of the allocations of
// the stage's batch, and a tenth of its client CPU at 4.6 µs a record).
type bulkAnswer struct {
	Errors bool         `json:"errors"`
	Items  []bulkResult `json:"items"`
}

// bulkResult is one item of a bulk answer: the one action it names has a
// status (every item has one), the others are zero.
type bulkResult struct {
	Index  bulkItem `json:"index"`
	Create bulkItem `json:"create"`
	Update bulkItem `json:"update"`
	Delete bulkItem `json:"delete"`
}

// item returns the action the result is for and its outcome.
func (r *bulkResult) item() (op string, it bulkItem) {
	switch {
	case r.Index.Status != 0:
		return "index", r.Index
	case r.Delete.Status != 0:
		return "delete", r.Delete
	case r.Create.Status != 0:
		return "create", r.Create
	default:
		return "update", r.Update
	}
}

// chunk is a run of records whose bulk body fits in FlushBytes.
type chunk struct {
	pos  []int // positions in the batch
	body bulkBody
}

// Index writes recs with the bulk API ("index" action, _id = article id,
// so a repeat overwrites) and returns one result per record from its bulk
// item. A batch larger than FlushBytes is split into several requests, sent
// by up to Workers at once. Writes are not refreshed: they become visible
// within the index's refresh interval, or at [Store.Refresh].
func (s *Store) Index(ctx context.Context, recs []news.Record) []error {
	return s.IndexJSON(ctx, recs, nil)
}

// IndexJSON is [Store.Index] for records that come with their JSON, as the
// index stage reads them from the stream: raw[i], when raw is not nil and
// raw[i] not empty, is recs[i] as valid UTF-8 JSON on one line, and goes
// into the document as its payload instead of recs[i] encoded once more.
func (s *Store) IndexJSON(ctx context.Context, recs []news.Record, raw [][]byte) []error {
	docs := make([]bulkDoc, len(recs))
	var lb *lineBuf // records to encode first: a buffer of their own each (no size to go by)
	if len(raw) > 0 {
		lb = s.lineBuf(linesSize(raw))
	}
	for i, rec := range recs {
		var r []byte
		if i < len(raw) {
			r = raw[i]
		}
		docs[i] = s.recordLines(lb, rec, r, "index")
	}
	return s.write(ctx, docs, s.cfg.Index, lb)
}

// linesSize is room for the bulk lines of records whose JSON is raw: a
// document is its record's JSON, once more its title and text, and a few
// fields and an action line. A batch whose lines take more gets a larger
// buffer, and the bodies of its first documents are copied ([body]).
func linesSize(raw [][]byte) int {
	n := 0
	for _, r := range raw {
		n += 2*len(r) + 1024
	}
	return n
}

// bulkDoc is one document's bulk lines, or why there are none.
type bulkDoc struct {
	id    string
	lines []byte
	err   error
}

// write bulk-writes docs to target and returns one result per document.
// lb is the buffer the documents' lines were written into, or nil: write
// releases the batch's hold on it ([lineBuf.release]), and each request
// body holds it until the transport has closed the body.
func (s *Store) write(ctx context.Context, docs []bulkDoc, target string, lb *lineBuf) []error {
	defer lb.release()
	errs := make([]error, len(docs))
	var chunks []*chunk
	cur, size := &chunk{}, 0
	for i, bd := range docs {
		if bd.err != nil {
			errs[i] = bd.err
			continue
		}
		if len(cur.pos) > 0 && size+len(bd.lines) > s.cfg.FlushBytes {
			chunks = append(chunks, cur)
			cur, size = &chunk{}, 0
		}
		cur.pos = append(cur.pos, i)
		size += len(bd.lines)
	}
	if len(cur.pos) > 0 {
		chunks = append(chunks, cur)
	}
	for _, c := range chunks {
		c.body = bulkBody{data: body(docs, c.pos), lb: lb}
	}
	var g errgroup.Group
	g.SetLimit(s.cfg.Workers)
	for _, c := range chunks {
		g.Go(func() error {
			s.send(ctx, target, docs, c, errs)
			return nil
		})
	}
	_ = g.Wait() // send records its outcome in errs and never fails as a whole
	// Counted per batch: a labelled counter looked up per item was a
	// hash of its label and a lock for every document.
	results := map[string]int{}
	for _, err := range errs {
		switch {
		case err == nil:
			results["ok"]++
		case news.IsPermanent(err):
			results["dead"]++
		default:
			results["retry"]++
		}
	}
	for result, n := range results {
		s.metrics.items.WithLabelValues(result).Add(float64(n))
	}
	return errs
}

// body is the lines of the documents at pos, one after the other: a slice
// of the buffer they were written into when they lie there in that order
// ([lineBuf]), else a copy, allocated once at its size (grown line by
// line, a body of a few MB was copied and zeroed about twice over).
func body(docs []bulkDoc, pos []int) []byte {
	first := docs[pos[0]].lines
	whole, n := first[:cap(first)], len(first)
	for _, p := range pos[1:] {
		l := docs[p].lines
		if len(l) == 0 {
			continue
		}
		if n+len(l) > len(whole) || &whole[n] != &l[0] {
			whole = nil
			break
		}
		n += len(l)
	}
	if whole != nil {
		return whole[:n:n]
	}
	size := 0
	for _, p := range pos {
		size += len(docs[p].lines)
	}
	b := make([]byte, 0, size)
	for _, p := range pos {
		b = append(b, docs[p].lines...)
	}
	return b
}

// recordLines is the bulk action and source lines of one record, written
// into lb; raw is the record's JSON (see [Store.IndexJSON]), or empty to
// encode it.
func (s *Store) recordLines(lb *lineBuf, rec news.Record, raw []byte, op string) bulkDoc {
	id := rec.Article.ID
	if id == "" {
		// Without an id Elasticsearch would invent one and every replay would
		// add a duplicate.
		return bulkDoc{err: news.Permanent(errors.New("indexing: record has no article id"))}
	}
	if len(raw) == 0 {
		var err error
		if raw, err = json.Marshal(rec); err != nil {
			return bulkDoc{id: id, err: news.Permanent(fmt.Errorf("encoding record %s: %w", id, err))}
		}
	}
	return s.docLines(lb, rec, raw, nil, nil, op)
}

// lineBuf is the buffer a batch's bulk lines are written into, one
// document's after the other's, so that a request's body is a slice of it
// ([body]) instead of a copy of every document's lines. A nil *lineBuf
// gives each document a buffer of its own.
//
// A store's buffers are used again by later batches ([Store.lineBuf]):
// about 5 kB a record that the garbage collector no longer has to take
// back and the allocator to clear. A buffer goes back to the store's pool
// when its last holder lets it go: the batch being written, and every
// reader of a request body over it that the HTTP transport made and has
// not closed yet (the transport may close a body after the answer has
// come, and makes new readers for retries). A reader it never closes
// keeps its buffer out of the pool, for the collector.
type lineBuf struct {
	b    []byte
	pool *sync.Pool   // where the buffer goes back; nil: nowhere
	refs atomic.Int32 // holders: the batch, and the body readers not yet closed
	// docs is where the batch's documents are built before their lines
	// are written, used again by each ([lineBuf.scratch]); only the
	// batch uses it, never the body readers.
	docs docScratch
}

// newLineBuf returns a lineBuf with room for size bytes of lines, of no
// pool.
func newLineBuf(size int) *lineBuf { return &lineBuf{b: make([]byte, 0, size)} }

// lineBuf returns an empty buffer with room for size bytes of lines,
// held once (by the batch), from the store's pool when one there is large
// enough.
func (s *Store) lineBuf(size int) *lineBuf {
	lb, _ := s.lineBufs.Get().(*lineBuf)
	if lb == nil || cap(lb.b) < size {
		// An eighth more than this batch needs: batches of the same
		// number of records differ in size by a few percent, and a
		// buffer made to fit one exactly was too small for half of the
		// others (in the stage's profile, one buffer a batch in every
		// fifteen was new: 0.6 kB a record).
		lb = newLineBuf(size + size/8)
	}
	lb.b, lb.pool = lb.b[:0], &s.lineBufs
	lb.refs.Store(1)
	return lb
}

// hold counts one more holder of lb; nil lb has none.
func (lb *lineBuf) hold() {
	if lb != nil {
		lb.refs.Add(1)
	}
}

// release lets go of one hold on lb; the last puts it back in its pool.
func (lb *lineBuf) release() {
	if lb != nil && lb.refs.Add(-1) == 0 && lb.pool != nil {
		lb.pool.Put(lb)
	}
}

// bulkBody is a bulk request's body: data, which may lie in lb.
type bulkBody struct {
	data []byte
	lb   *lineBuf
}

// reader returns a reader of the body that holds its buffer until it is
// closed.
func (b bulkBody) reader() io.ReadCloser {
	b.lb.hold()
	return &bodyReader{Reader: bytes.NewReader(b.data), lb: b.lb}
}

// bodyReader reads a request body and releases its buffer when closed.
type bodyReader struct {
	*bytes.Reader
	lb     *lineBuf
	closed atomic.Bool
}

// Close releases the body's buffer, once however often it is called.
func (r *bodyReader) Close() error {
	if r.closed.CompareAndSwap(false, true) {
		r.lb.release()
	}
	return nil
}

// docLines is the bulk lines of doc under id with action op, written into
// lb; a nil doc (for op "delete") has no source line.
//
// The lines are put together here rather than by marshalling whole values:
// the payload (doc.Record), most of a document's bytes, is JSON already,
// and encoding/json would scan and compact it once more; so are title and
// text when the record came as JSON ([Store.IndexRaw]); and the other
// fields are few ([appendFields]).
func (lb *lineBuf) docLines(id, op string, doc *document) bulkDoc {
	var dst []byte
	if lb != nil {
		dst = lb.b
	} else {
		size := len(op) + len(id) + 64
		if doc != nil {
			size += len(doc.Record) + len(doc.titleJSON) + len(doc.textJSON) + len(doc.Title) + len(doc.Text) + 512
		}
		dst = make([]byte, 0, size)
	}
	start := len(dst)
	dst = append(append(append(dst, `{"`...), op...), `":{"_id":`...)
	dst = append(appendString(dst, id), "}}\n"...)
	if doc != nil {
		dst = append(dst, `{"title":`...)
		dst = appendDocString(dst, doc.titleJSON, doc.Title)
		dst = append(dst, `,"text":`...)
		dst = appendDocString(dst, doc.textJSON, doc.Text)
		fields := len(dst) + 1
		var ok bool
		if dst, ok = appendFields(append(dst, ','), doc); !ok {
			// A value without a JSON form: encoding/json names it.
			src, err := json.Marshal(doc)
			if err != nil {
				if lb != nil {
					lb.b = dst[:start]
				}
				return bulkDoc{id: id, err: news.Permanent(fmt.Errorf("encoding document %s: %w", id, err))}
			}
			dst = append(dst[:fields], src[1:len(src)-1]...)
		}
		dst = append(append(append(dst, `,"record":`...), doc.Record...), "}\n"...)
	}
	if lb != nil {
		lb.b = dst
	}
	// The lines keep the buffer's capacity beyond them, for body to see
	// that the next document's follow: never append to them.
	return bulkDoc{id: id, lines: dst[start:]}
}

// appendDocString appends a string field of a document: js when it is set
// (the string as JSON already), else s encoded.
func appendDocString(dst, js []byte, s string) []byte {
	if js != nil {
		return append(dst, js...)
	}
	return appendString(dst, s)
}

// refusedBody tells whether a failed bulk request was refused for its body
// (a 413, or a 400 whose error is about parsing it) rather than for the
// cluster's state, which retrying can outlast.
func refusedBody(status int, e *StatusError) bool {
	switch status {
	case http.StatusRequestEntityTooLarge:
		return true
	case http.StatusBadRequest:
		return !storeConditions[e.Type]
	}
	return false
}

// sendHalves sends each half of chunk c as a chunk of its own.
func (s *Store) sendHalves(ctx context.Context, target string, docs []bulkDoc, c *chunk, errs []error) {
	mid := len(c.pos) / 2
	for _, pos := range [][]int{c.pos[:mid], c.pos[mid:]} {
		s.send(ctx, target, docs, &chunk{pos: pos, body: bulkBody{data: body(docs, pos), lb: c.body.lb}}, errs)
	}
}

// send posts one chunk and writes each record's outcome into errs.
func (s *Store) send(ctx context.Context, target string, docs []bulkDoc, c *chunk, errs []error) {
	start := time.Now()
	// The answer carries only what classifying the items needs: without
	// filter_path every item also has its index, version, result, shards,
	// sequence number and term, five times the bytes, which the node
	// writes and this process reads for every document.
	path := "/" + target + "/_bulk?filter_path=" + bulkAnswerFields
	if s.isAlias(target) {
		// Never let a write create a concrete index named like the alias.
		path += "&require_alias=true"
	}
	raw, status, err := s.client.roundTrip(ctx, http.MethodPost, path, c.body, "application/x-ndjson")
	s.metrics.bulk.Observe(obs.BackendElasticsearch, s.kind(target), len(c.pos), time.Since(start))
	if err == nil && status/100 != 2 {
		se := s.client.statusError(http.MethodPost, path, status, raw)
		err = se
		if refusedBody(status, se) {
			if len(c.pos) > 1 {
				// Some document broke the request (a payload that is not one
				// line of JSON, one too large for http.max_content_length):
				// halve the chunk until it stands alone, so the others are
				// stored and only it is refused.
				s.sendHalves(ctx, target, docs, c, errs)
				return
			}
			// This document alone is refused: the same bytes fail again.
			err = news.Permanent(err)
		}
		// Any other failure of the whole request (auth, overload, a node
		// going away) is not the documents' fault: retry them.
	}
	var ans bulkAnswer
	if err == nil {
		if derr := jsonv2.Unmarshal(raw, &ans); derr != nil {
			err = fmt.Errorf("decoding bulk answer: %w", derr)
		} else if len(ans.Items) != len(c.pos) {
			err = fmt.Errorf("bulk answer has %d items for %d documents", len(ans.Items), len(c.pos))
		}
	}
	if err != nil {
		err = fmt.Errorf("sending bulk request: %w", err)
		for _, p := range c.pos {
			errs[p] = err
		}
		return
	}
	missing := false
	for k, p := range c.pos {
		op, it := ans.Items[k].item()
		if it.ID != docs[p].id {
			errs[p] = fmt.Errorf("bulk item %d is for %q, want %q", k, it.ID, docs[p].id)
			continue
		}
		if op == "delete" && it.Status == http.StatusNotFound {
			continue // deleting what is not there is done
		}
		errs[p] = classifyItem(it.ID, it.Status, it.Error)
		if it.Error != nil && it.Error.Type == "index_not_found_exception" && s.isAlias(target) {
			missing = true
		}
	}
	if missing {
		s.heal(ctx, target)
	}
}
