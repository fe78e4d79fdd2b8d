package bus

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/synadia-io/orbit.go/jetstreamext"
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

// GetMany reads keys of the key-value bucket in one request. The server
// answers it between two writes to the bucket, so the values are one
// consistent snapshot, as if all were read at the same instant. Keys that do
// not exist or were deleted are absent from the map. It needs a server with
// batch direct gets (2.11 or later) and a bucket with direct gets allowed
// (the default of [OpenBucket]).
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
	msgs, err := jetstreamext.GetLastMsgsFor(ctx, js, "KV_"+bucket, subjects)
	if err != nil {
		return nil, fmt.Errorf("reading %d keys of bucket %s: %w", len(keys), bucket, err)
	}
	// The answer ends with a message that says no more are pending, or is
	// "no results" at once. An answer cut short (the request timed out, the
	// connection dropped) ends without either and must not pass for keys
	// that do not exist.
	complete := false
	for m, err := range msgs {
		if errors.Is(err, jetstreamext.ErrNoMessages) && len(out) == 0 {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("reading %d keys of bucket %s: %w", len(keys), bucket, err)
		}
		pending, perr := strconv.ParseUint(m.Header.Get(numPendingHeader), 10, 64)
		complete = perr == nil && pending == 0
		switch m.Header.Get(kvOperationHeader) {
		case "DEL", "PURGE":
			continue
		}
		if len(m.Subject) > len(prefix) {
			out[m.Subject[len(prefix):]] = KVEntry{Value: m.Data, Revision: m.Sequence}
		}
	}
	if !complete {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("reading %d keys of bucket %s: %w", len(keys), bucket, err)
		}
		return nil, fmt.Errorf("reading %d keys of bucket %s: the answer ended early; retry", len(keys), bucket)
	}
	return out, nil
}

// Headers of a direct get's answer whose names nats.go does not export:
// the key-value delete or purge marker, and how many messages of a batch
// follow this one.
const (
	kvOperationHeader = "KV-Operation"
	numPendingHeader  = "Nats-Num-Pending"
)
