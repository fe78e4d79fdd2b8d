package bus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// OpenBucket opens the key-value bucket name, creating it when missing: file
// storage, one revision of history, replicas copies. Stages keep their shared
// state there (feed state, deal resolution, near-duplicates) so any replica
// can take over.
func OpenBucket(ctx context.Context, js jetstream.JetStream, name, description string, replicas int) (jetstream.KeyValue, error) {
	kv, err := js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket:      name,
		Description: description,
		History:     1,
		Replicas:    max(replicas, 1),
		Storage:     jetstream.FileStorage,
	})
	if err != nil {
		return nil, fmt.Errorf("opening key-value bucket %s: %w", name, err)
	}
	return kv, nil
}

// IsConflict reports whether err means a compare-and-set lost its race: the
// key was created or updated by someone else since it was read.
func IsConflict(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, jetstream.ErrKeyExists) || errors.Is(err, jetstream.ErrKeyRevisionMismatch) {
		return true
	}
	var apiErr *jetstream.APIError
	return errors.As(err, &apiErr) &&
		(apiErr.ErrorCode == jetstream.JSErrCodeStreamWrongLastSequence ||
			apiErr.ErrorCode == jetstream.JSErrCodeStreamWrongLastSequenceConstant)
}

// PauseBeforeRetry waits a short random time, growing with attempt, before a
// compare-and-set is retried, so that colliding writers spread out. It
// returns ctx's error if ctx ends first.
func PauseBeforeRetry(ctx context.Context, attempt int) error {
	d := time.Duration(rand.Int64N(int64(min(max(attempt, 1), 10)) * int64(2*time.Millisecond)))
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// KVEntry is one key's value and revision as [GetMany] read it.
type KVEntry struct {
	Value    []byte
	Revision uint64
}

// GetMany reads keys of the key-value bucket in one request (a batch direct
// get, "multi_last"). The server answers it between two writes to the
// bucket, so the values are one consistent snapshot, as if all were read at
// the same instant. Keys that do not exist or were deleted are absent from
// the map. It needs a server with batch direct gets (2.11 or later) and a
// bucket with direct gets allowed (the default of [OpenBucket]).
//
// Written here rather than taken from orbit.go's jetstreamext, whose
// GetLastMsgsFor subscribes with a channel of the connection's default
// pending limit (65,536 messages, half a megabyte cleared per call: a tenth
// of the extract stage's CPU) and ends a timed-out answer without an error.
func GetMany(ctx context.Context, js jetstream.JetStream, bucket string, keys []string) (map[string]KVEntry, error) {
	out := make(map[string]KVEntry, len(keys))
	if len(keys) == 0 {
		return out, nil
	}
	prefix := "$KV." + bucket + "."
	subjects := make([]string, len(keys))
	for i, k := range keys {
		subjects[i] = prefix + k
	}
	req, err := json.Marshal(struct {
		MultiLastFor []string `json:"multi_last"`
	}{subjects})
	if err != nil {
		return nil, fmt.Errorf("encoding a read of %d keys of bucket %s: %w", len(keys), bucket, err)
	}
	fail := func(err error) error {
		return fmt.Errorf("reading %d keys of bucket %s: %w", len(keys), bucket, err)
	}
	nc := js.Conn()
	inbox := nc.NewInbox()
	// One message per key at most, then the end-of-batch marker: the
	// channel never fills, so the connection never drops an answer.
	ch := make(chan *nats.Msg, len(keys)+2)
	sub, err := nc.ChanSubscribe(inbox, ch)
	if err != nil {
		return nil, fail(err)
	}
	// A failed unsubscribe (the connection is closing) ends with the
	// connection; there is nothing else to do about it.
	defer func() { _ = sub.Unsubscribe() }()
	if err := nc.PublishMsg(&nats.Msg{Subject: directGetSubject(js.Options(), "KV_"+bucket), Reply: inbox, Data: req}); err != nil {
		return nil, fail(err)
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, js.Options().DefaultTimeout)
		defer cancel()
	}
	for {
		var m *nats.Msg
		select {
		case m = <-ch:
		case <-ctx.Done():
			return nil, fail(ctx.Err())
		}
		if len(m.Data) == 0 && m.Header.Get("Status") != "" {
			switch status := m.Header.Get("Status"); status {
			case "204":
				// End of batch before a message said none was pending: the
				// server cut the answer short (its byte limit).
				return nil, fail(errors.New("the answer was cut short; read fewer keys at once"))
			case "404": // none of the keys exists
				return out, nil
			case "503":
				return nil, fail(nats.ErrNoResponders)
			default:
				return nil, fail(fmt.Errorf("status %s %s", status, m.Header.Get("Description")))
			}
		}
		pending := m.Header.Get(numPendingHeader)
		if pending == "" {
			return nil, fail(errors.New("the server answered without batch headers (batch direct gets need NATS 2.11 or later)"))
		}
		seq, err := strconv.ParseUint(m.Header.Get(jetstream.SequenceHeader), 10, 64)
		if err != nil {
			return nil, fail(fmt.Errorf("parsing the sequence of an answer: %w", err))
		}
		subj := m.Header.Get(jetstream.SubjectHeader)
		switch m.Header.Get(kvOperationHeader) {
		case "DEL", "PURGE":
		default:
			if len(subj) > len(prefix) {
				out[subj[len(prefix):]] = KVEntry{Value: m.Data, Revision: seq}
			}
		}
		if pending == "0" {
			return out, nil
		}
	}
}

// directGetSubject is the direct get API subject of stream, under js's API
// prefix or domain.
func directGetSubject(o jetstream.JetStreamOptions, stream string) string {
	prefix := jetstream.DefaultAPIPrefix
	switch {
	case o.APIPrefix != "":
		prefix = strings.TrimSuffix(o.APIPrefix, ".") + "."
	case o.Domain != "":
		prefix = "$JS." + o.Domain + ".API."
	}
	return prefix + "DIRECT.GET." + stream
}

// Headers of a direct get's answer whose names nats.go does not export:
// the key-value delete or purge marker, and how many messages of a batch
// follow this one.
const (
	kvOperationHeader = "KV-Operation"
	numPendingHeader  = "Nats-Num-Pending"
)
