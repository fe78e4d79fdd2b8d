// Package elastic is the Elasticsearch [index.Store]. Records are written
// through an alias to a versioned concrete index (<alias>-v<N>, N the version
// of configs/mapping.json) created from an index template, so a mapping
// change is a new index and a switch of the alias.
//
// Deals, and investors within deals, are nested objects: every deal filter
// of a query must hold for one and the same deal. Only plain field types and
// the standard analyzer are used, so the mapping works on the minimal
// integ-test distribution as on a full cluster.
//
// Index answers per record from the bulk API's items; the caller acks,
// retries or dead-letters each message by that answer. Resolved deals go to
// a second alias, <alias>-deals, with the same mapping.
package elastic

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/dealwire/dealwire/configs"
	"github.com/dealwire/dealwire/fx"
	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/news"
)

// MappingFile is the index template in [configs.Files].
const MappingFile = "mapping.json"

// Store is an [index.Store] on an Elasticsearch cluster.
type Store struct {
	cfg     Config
	client  *client
	rates   *fx.Table
	logger  *slog.Logger
	metrics *metrics
	// version is the mapping version; the concrete index is cfg.Index-v<version>.
	version int
	tmpl    template
	// lineBufs holds the line buffers of written batches for later ones
	// ([lineBuf]).
	lineBufs sync.Pool
	// healMu guards lastHeal, when a missing alias was last recreated.
	healMu   sync.Mutex
	lastHeal time.Time
}

var _ index.Store = (*Store)(nil)

// New connects to the cluster of cfg, installs the index template, and
// creates the concrete index and the alias when missing. It fails with a
// clear error when no node answers or the credentials are refused.
func New(ctx context.Context, cfg Config, logger *slog.Logger, reg prometheus.Registerer) (*Store, error) {
	cfg = cfg.WithDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("elasticsearch config: %w", err)
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	c, err := newClient(cfg)
	if err != nil {
		return nil, err
	}
	rates := cfg.Rates
	if rates == nil {
		if rates, err = loadFX(cfg.FX); err != nil {
			return nil, err
		}
	}
	m, err := newMetrics(reg)
	if err != nil {
		return nil, fmt.Errorf("registering metrics: %w", err)
	}
	s := &Store{cfg: cfg, client: c, rates: rates, logger: logger, metrics: m}
	tmpl, err := loadTemplate(configs.Files)
	if err != nil {
		return nil, err
	}
	s.version, s.tmpl = tmpl.Version, tmpl
	for _, alias := range []string{cfg.Index, s.DealsIndex()} {
		if err := s.ensureIndex(ctx, tmpl, alias); err != nil {
			c.tr.CloseIdleConnections()
			return nil, err
		}
	}
	return s, nil
}

func loadFX(path string) (*fx.Table, error) {
	if path == "" {
		return fx.Default()
	}
	return fx.Load(os.DirFS(filepath.Dir(path)), filepath.Base(path))
}

// template is configs/mapping.json.
type template struct {
	Version  int             `json:"version"`
	Priority int             `json:"priority"`
	Template json.RawMessage `json:"template"`
}

func loadTemplate(fsys fs.FS) (template, error) {
	raw, err := fs.ReadFile(fsys, MappingFile)
	if err != nil {
		return template{}, fmt.Errorf("reading mapping: %w", err)
	}
	var t template
	if err := json.Unmarshal(raw, &t); err != nil {
		return template{}, fmt.Errorf("reading mapping: %w", err)
	}
	if t.Version < 1 || len(t.Template) == 0 {
		return template{}, errors.New("reading mapping: want a version of at least 1 and a template")
	}
	return t, nil
}

// healInterval bounds how often a missing alias is recreated.
const healInterval = 10 * time.Second

// isAlias reports whether target is one of the aliases this store writes
// through (not a concrete index, as a reindex writes to).
func (s *Store) isAlias(target string) bool {
	return target == s.cfg.Index || target == s.DealsIndex()
}

// heal recreates the template, concrete index and alias of target after a
// write found the alias missing: a cluster restored empty, or another
// cluster behind the same address. Without it every write would wait for
// an operator, and without require_alias the writes would have created a
// concrete index under the alias's name, which blocks the alias for good.
func (s *Store) heal(ctx context.Context, alias string) {
	s.healMu.Lock()
	defer s.healMu.Unlock()
	if time.Since(s.lastHeal) < healInterval {
		return
	}
	s.lastHeal = time.Now()
	if err := s.ensureIndex(ctx, s.tmpl, alias); err != nil {
		s.logger.Warn("elasticsearch alias is missing and could not be recreated; writes wait", "alias", alias, "error", err)
		return
	}
	s.logger.Warn("elasticsearch alias was missing; recreated it, the waiting writes are retried", "alias", alias)
}

// Concrete returns the name of the concrete index this program's mapping
// version writes to.
func (s *Store) Concrete() string { return s.concrete(s.cfg.Index) }

func (s *Store) concrete(alias string) string { return fmt.Sprintf("%s-v%d", alias, s.version) }

// DealsIndex is the alias of the resolved deals: the records' alias + "-deals".
func (s *Store) DealsIndex() string { return s.cfg.Index + "-deals" }

// ensureIndex puts the template, then makes sure the alias exists. An alias
// that points at an older version stays there (with a warning) until
// reindexing switches it; meanwhile the fields the current mapping added
// are added to the old index, so that documents of the current shape are
// accepted instead of failing the strict mapping.
func (s *Store) ensureIndex(ctx context.Context, t template, alias string) error {
	body := map[string]any{
		"index_patterns": []string{alias + "-v*"},
		"priority":       t.Priority,
		"version":        t.Version,
		"template":       t.Template,
		"_meta":          map[string]any{"managed_by": "dealwire"},
	}
	if err := s.client.do(ctx, http.MethodPut, "/_index_template/"+alias, body, nil); err != nil {
		return fmt.Errorf("installing index template: %w", err)
	}
	targets, err := s.aliasTargets(ctx, alias)
	if err != nil {
		return err
	}
	concrete := s.concrete(alias)
	switch {
	case len(targets) == 0:
		if err := s.createIndex(ctx, concrete); err != nil {
			return err
		}
		if err := s.switchAlias(ctx, alias, nil, concrete); err != nil {
			return err
		}
		s.logger.Info("created elasticsearch index", "index", concrete, "alias", alias)
	case len(targets) == 1 && targets[0] == concrete:
	default:
		if err := s.putMapping(ctx, alias, t); err != nil {
			s.logger.Warn("adding the current mapping's fields to the old index; documents with new fields will fail until the reindex",
				"alias", alias, "error", err)
		}
		s.logger.Warn("elasticsearch alias points at another mapping version; run 'dealwire index reindex' to switch",
			"alias", alias, "targets", targets, "want", concrete)
	}
	return nil
}

// putMapping merges the template's mappings into the indices behind alias.
// Elasticsearch accepts this when the mapping only gained fields, which is
// the rule between versions of configs/mapping.json.
func (s *Store) putMapping(ctx context.Context, alias string, t template) error {
	var tmpl struct {
		Mappings json.RawMessage `json:"mappings"`
	}
	if err := json.Unmarshal(t.Template, &tmpl); err != nil {
		return fmt.Errorf("reading mapping: %w", err)
	}
	if err := s.client.do(ctx, http.MethodPut, "/"+url.PathEscape(alias)+"/_mapping", tmpl.Mappings, nil); err != nil {
		return fmt.Errorf("updating mapping of %s: %w", alias, err)
	}
	return nil
}

// aliasTargets lists the indices the alias points at; none when it does not exist.
func (s *Store) aliasTargets(ctx context.Context, alias string) ([]string, error) {
	var ans map[string]json.RawMessage
	err := s.client.do(ctx, http.MethodGet, "/_alias/"+url.PathEscape(alias), nil, &ans)
	if isStatus(err, http.StatusNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading alias %s: %w", alias, err)
	}
	var out []string
	for name := range ans {
		out = append(out, name)
	}
	return out, nil
}

func (s *Store) createIndex(ctx context.Context, name string) error {
	err := s.client.do(ctx, http.MethodPut, "/"+name, map[string]any{}, nil)
	var se *StatusError
	if errors.As(err, &se) && se.Type == "resource_already_exists_exception" {
		return nil // another process was first
	}
	if err != nil {
		return fmt.Errorf("creating index %s: %w", name, err)
	}
	return nil
}

// switchAlias points the alias at to, removing it from the indices in from,
// in one atomic request.
func (s *Store) switchAlias(ctx context.Context, alias string, from []string, to string) error {
	var actions []map[string]any
	for _, f := range from {
		actions = append(actions, map[string]any{"remove": map[string]any{"index": f, "alias": alias}})
	}
	actions = append(actions, map[string]any{"add": map[string]any{"index": to, "alias": alias, "is_write_index": true}})
	if err := s.client.do(ctx, http.MethodPost, "/_aliases", map[string]any{"actions": actions}, nil); err != nil {
		return fmt.Errorf("pointing alias %s at %s: %w", alias, to, err)
	}
	return nil
}

// Get returns the record with article id id.
func (s *Store) Get(ctx context.Context, id string) (news.Record, error) {
	var rec news.Record
	if err := s.get(ctx, s.cfg.Index, id, &rec); err != nil {
		return news.Record{}, err
	}
	return rec, nil
}

// get decodes the payload of document id of alias into v.
func (s *Store) get(ctx context.Context, alias, id string, v any) error {
	var ans struct {
		Found  bool `json:"found"`
		Source struct {
			Record json.RawMessage `json:"record"`
		} `json:"_source"`
	}
	err := s.client.do(ctx, http.MethodGet, "/"+alias+"/_doc/"+url.PathEscape(id)+"?_source=record", nil, &ans)
	if isStatus(err, http.StatusNotFound) || (err == nil && !ans.Found) {
		return fmt.Errorf("getting %s: %w", id, index.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("getting %s: %w", id, err)
	}
	if err := json.Unmarshal(ans.Source.Record, v); err != nil {
		return fmt.Errorf("decoding %s: %w", id, err)
	}
	return nil
}

// Refresh makes all indexed documents searchable now.
func (s *Store) Refresh(ctx context.Context) error {
	if err := s.client.do(ctx, http.MethodPost, "/"+s.cfg.Index+","+s.DealsIndex()+"/_refresh", nil, nil); err != nil {
		return fmt.Errorf("refreshing: %w", err)
	}
	return nil
}

// Close releases idle connections. Open points in time expire by themselves.
func (s *Store) Close() error {
	s.client.tr.CloseIdleConnections()
	return nil
}

// Delete removes the indices of both aliases (records and deals) and their
// templates: for tests and for throwing an index away. It is not part of
// [index.Store].
func (s *Store) Delete(ctx context.Context) error {
	var errs []error
	for _, alias := range []string{s.cfg.Index, s.DealsIndex()} {
		targets, err := s.aliasTargets(ctx, alias)
		if err != nil {
			errs = append(errs, err)
		}
		for _, t := range append(targets, s.concrete(alias)) {
			if err := s.client.do(ctx, http.MethodDelete, "/"+t, nil, nil); err != nil && !isStatus(err, http.StatusNotFound) {
				errs = append(errs, fmt.Errorf("deleting index %s: %w", t, err))
			}
		}
		if err := s.client.do(ctx, http.MethodDelete, "/_index_template/"+alias, nil, nil); err != nil && !isStatus(err, http.StatusNotFound) {
			errs = append(errs, fmt.Errorf("deleting template %s: %w", alias, err))
		}
	}
	return errors.Join(errs...)
}
