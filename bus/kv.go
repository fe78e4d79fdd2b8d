package bus

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

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
