package alerts

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/dealwire/dealwire/bus"
	"github.com/dealwire/dealwire/news"
)

// Keys of the state bucket (rule and sink names are valid key tokens, deal
// and article ids are hex):
//
//	st.<rule>.<deal id>              state: the last alert decided for the deal, its facts, whether it is enqueued
//	src.<rule>.<article id>.<n>      the deal id whose state holds the thread of the article's n-th deal
//	sent.<rule>.<thread>.<sink>.<v>  the sink delivered version v of the thread's alert
//	last.<rule>.<sink>               what the sink sent last, and its last failure (dealwire alerts list)
//	rule.<rule>                      when the rule was first seen
func stateKey(rule, dealID string) string { return "st." + rule + "." + dealID }
func sourceKey(rule string, src news.DealSource) string {
	return "src." + rule + "." + src.ArticleID + "." + strconv.Itoa(src.DealIndex)
}
func sentKey(rule, thread, sink string, version int) string {
	return "sent." + rule + "." + thread + "." + sink + "." + strconv.Itoa(version)
}
func lastKey(rule, sink string) string { return "last." + rule + "." + sink }
func ruleKey(rule string) string       { return "rule." + rule }

// state is what the bucket holds per rule and deal.
type state struct {
	V      int    `json:"v"`
	Rule   string `json:"rule"`
	DealID string `json:"deal_id"`
	// Thread is the deal id of the first alert; alerts about the deal under
	// a later id continue it.
	Thread  string `json:"thread"`
	Version int    `json:"version"`
	Facts   facts  `json:"facts"`
	// Enqueued is set once the deliveries of Alert (one message per sink)
	// are on the ALERTS stream; until then, whoever reads the state
	// publishes them (their message ids make a second publish harmless).
	Enqueued bool  `json:"enqueued"`
	Alert    Alert `json:"alert"`
}

// sent records that a sink delivered one alert.
type sent struct {
	AlertID string    `json:"alert_id"`
	At      time.Time `json:"at"`
}

// LastSent is what a rule's sink sent last and how its last failure went,
// for "dealwire alerts list".
type LastSent struct {
	Rule    string    `json:"rule"`
	Sink    string    `json:"sink"`
	AlertID string    `json:"alert_id,omitempty"`
	Kind    string    `json:"kind,omitempty"`
	Summary string    `json:"summary,omitempty"`
	At      time.Time `json:"at,omitzero"`
	Sent    int       `json:"sent"` // alerts this sink delivered, all time
	// Error is the reason of the last alert that went to the dead letters.
	Error   string    `json:"error,omitempty"`
	ErrorAt time.Time `json:"error_at,omitzero"`
}

// getJSON reads key into v; it returns the revision, 0 when the key is missing.
func getJSON(ctx context.Context, kv jetstream.KeyValue, key string, v any) (uint64, error) {
	e, err := kv.Get(ctx, key)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("reading %s from bucket %s: %w", key, kv.Bucket(), err)
	}
	if err := json.Unmarshal(e.Value(), v); err != nil {
		return 0, news.Permanent(fmt.Errorf("decoding %s from bucket %s: %w", key, kv.Bucket(), err))
	}
	return e.Revision(), nil
}

// casJSON writes v under key: a create when rev is 0, else an update of
// revision rev. A lost race is reported by [bus.IsConflict].
func casJSON(ctx context.Context, kv jetstream.KeyValue, key string, rev uint64, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encoding %s: %w", key, err)
	}
	if rev == 0 {
		_, err = kv.Create(ctx, key, b)
	} else {
		_, err = kv.Update(ctx, key, b, rev)
	}
	if err != nil {
		return fmt.Errorf("writing %s to bucket %s: %w", key, kv.Bucket(), err)
	}
	return nil
}

// update applies change to the value under key with compare-and-set,
// re-reading and retrying on a lost race. change returns false to leave
// the value as it is.
func update[T any](ctx context.Context, kv jetstream.KeyValue, key string, change func(v *T) bool) error {
	for attempt := 1; ; attempt++ {
		var v T
		rev, err := getJSON(ctx, kv, key, &v)
		if err != nil {
			return err
		}
		if !change(&v) {
			return nil
		}
		err = casJSON(ctx, kv, key, rev, v)
		if err == nil || !bus.IsConflict(err) || attempt >= maxCASAttempts {
			return err
		}
		if err := bus.PauseBeforeRetry(ctx, attempt); err != nil {
			return err
		}
	}
}

const maxCASAttempts = 64

// ListLast returns what every sink of every rule in cfg sent last, from
// the state bucket: one entry per rule and sink, in configuration order.
func ListLast(ctx context.Context, js jetstream.JetStream, cfg Config) ([]LastSent, error) {
	cfg = cfg.WithDefaults()
	kv, err := js.KeyValue(ctx, cfg.StateBucket)
	if err != nil && !errors.Is(err, jetstream.ErrBucketNotFound) {
		return nil, fmt.Errorf("opening bucket %s: %w", cfg.StateBucket, err)
	}
	var out []LastSent
	for _, r := range cfg.Rules {
		for _, s := range r.Sinks {
			ls := LastSent{Rule: r.Name, Sink: s.Name}
			if kv != nil {
				if _, err := getJSON(ctx, kv, lastKey(r.Name, s.Name), &ls); err != nil {
					return out, err
				}
			}
			out = append(out, ls)
		}
	}
	return out, nil
}
