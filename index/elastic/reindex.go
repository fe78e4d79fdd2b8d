package elastic

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/dealwire/dealwire/news"
)

// reindexPage is how many records one copy step reads and writes.
const reindexPage = 500

// Reindex moves the alias, and then the deals alias ([Store.DealsIndex]), to
// the concrete index of this program's mapping version ([Store.Concrete])
// without downtime, rebuilding every document from the records (deal
// records) stored in the old index with the current code (so new derived
// fields and FX rates apply too):
//
//  1. create the new index from the template;
//  2. copy every record from the old index while the alias still serves it;
//  3. switch the alias to the new index in one atomic request;
//  4. copy again with the "create" action, which adds the records written
//     to the old index during step 2 and leaves alone those already copied
//     or written anew since the switch.
//
// A record re-indexed into the old index during step 2 keeps its copied
// version; replaying the RECORDS stream repairs that. The old index is kept
// for the operator to delete. It returns how many records it copied (deal
// records are logged) and does nothing when the aliases already point at
// the current version.
func (s *Store) Reindex(ctx context.Context) (int, error) {
	n, err := s.reindex(ctx, s.cfg.Index, func(raw json.RawMessage, op string) (string, bulkDoc, error) {
		var rec news.Record
		if err := json.Unmarshal(raw, &rec); err != nil {
			return "", bulkDoc{}, err
		}
		return rec.Article.ID, s.recordLines(nil, rec, nil, op), nil
	})
	if err != nil {
		return n, err
	}
	_, err = s.reindex(ctx, s.DealsIndex(), func(raw json.RawMessage, op string) (string, bulkDoc, error) {
		var dr news.DealRecord
		if err := json.Unmarshal(raw, &dr); err != nil {
			return "", bulkDoc{}, err
		}
		return dr.ID, s.dealLines(nil, dr, op), nil
	})
	return n, err
}

// lineFunc turns a stored payload into its bulk lines with action op, and
// returns its id.
type lineFunc func(raw json.RawMessage, op string) (string, bulkDoc, error)

// reindex moves alias to its concrete index of the current version, copying
// what the old indices hold, and returns how many documents it copied.
func (s *Store) reindex(ctx context.Context, alias string, lines lineFunc) (int, error) {
	old, err := s.aliasTargets(ctx, alias)
	if err != nil {
		return 0, err
	}
	concrete := s.concrete(alias)
	old = slices.DeleteFunc(old, func(n string) bool { return n == concrete })
	if len(old) == 0 {
		if err := s.createIndex(ctx, concrete); err != nil {
			return 0, err
		}
		return 0, s.switchAlias(ctx, alias, nil, concrete)
	}
	if err := s.createIndex(ctx, concrete); err != nil {
		return 0, err
	}
	s.logger.Info("reindexing", "from", old, "to", concrete)
	n, err := s.copyDocs(ctx, old, concrete, "index", lines)
	if err != nil {
		return n, err
	}
	if err := s.switchAlias(ctx, alias, old, concrete); err != nil {
		return n, err
	}
	m, err := s.copyDocs(ctx, old, concrete, "create", lines)
	s.logger.Info("reindexed", "from", old, "to", concrete, "documents", n, "late_documents", m)
	return n + m, err
}

// copyDocs reads every document of the indices from through a point in
// time and writes it to to with bulk action op, and returns how many it
// wrote. For "create", a document that already exists (409) is skipped.
func (s *Store) copyDocs(ctx context.Context, from []string, to, op string, lines lineFunc) (int, error) {
	var pit struct {
		ID string `json:"id"`
	}
	path := "/" + strings.Join(from, ",") + "/_pit?keep_alive=" + keepAlive(s.cfg.PITKeepAlive)
	if err := s.client.do(ctx, http.MethodPost, path, nil, &pit); err != nil {
		return 0, fmt.Errorf("reindexing: opening point in time: %w", err)
	}
	defer func() { s.closePIT(context.WithoutCancel(ctx), pit.ID) }()
	copied := 0
	var after []json.RawMessage
	for {
		body := obj{
			"size":    reindexPage,
			"sort":    []obj{{"_shard_doc": "asc"}},
			"_source": []string{"record"},
			"pit":     obj{"id": pit.ID, "keep_alive": keepAlive(s.cfg.PITKeepAlive)},
		}
		if after != nil {
			body["search_after"] = after
		}
		var ans searchAnswer
		if err := s.client.do(ctx, http.MethodPost, "/_search", body, &ans); err != nil {
			return copied, fmt.Errorf("reindexing: reading: %w", err)
		}
		if ans.PITID != "" {
			pit.ID = ans.PITID
		}
		hits := ans.Hits.Hits
		if len(hits) == 0 {
			return copied, nil
		}
		ids := make([]string, len(hits))
		docs := make([]bulkDoc, len(hits))
		for i, h := range hits {
			var err error
			if ids[i], docs[i], err = lines(h.Source.Record, op); err != nil {
				return copied, fmt.Errorf("reindexing: decoding %s: %w", h.ID, err)
			}
		}
		for i, err := range s.write(ctx, docs, to, nil) {
			var ie *ItemError
			switch {
			case err == nil:
				copied++
			case op == "create" && errors.As(err, &ie) && ie.Status == http.StatusConflict:
				// Already there: copied before, or written anew since the switch.
			default:
				return copied, fmt.Errorf("reindexing %s: %w", ids[i], err)
			}
		}
		after = hits[len(hits)-1].Sort
	}
}
