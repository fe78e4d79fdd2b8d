package bus

import (
	"context"
	"testing"

	"github.com/dealwire/dealwire/bus/bustest"
)

// TestGetMany reads present, missing and deleted keys in one request: the
// values and revisions are those of single gets, and the others are absent.
func TestGetMany(t *testing.T) {
	srv := bustest.NewServer(t)
	_, js := bustest.Connect(t, srv)
	ctx := t.Context()
	kv, err := OpenBucket(ctx, js, "GETMANY", "test", 1)
	if err != nil {
		t.Fatal(err)
	}
	got, err := GetMany(ctx, js, "GETMANY", []string{"a", "b"})
	if err != nil || len(got) != 0 {
		t.Fatalf("empty bucket: got %v, %v; want nothing, no error", got, err)
	}
	for _, k := range []string{"a", "b", "c", "gone"} {
		if _, err := kv.Put(ctx, k, []byte("value of "+k)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := kv.Put(ctx, "a", []byte("new value of a")); err != nil {
		t.Fatal(err)
	}
	if err := kv.Delete(ctx, "gone"); err != nil {
		t.Fatal(err)
	}
	got, err = GetMany(ctx, js, "GETMANY", []string{"a", "c", "gone", "missing"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Errorf("got keys %v, want a and c", got)
	}
	for _, k := range []string{"a", "c"} {
		e, err := kv.Get(ctx, k)
		if err != nil {
			t.Fatal(err)
		}
		if string(got[k].Value) != string(e.Value()) || got[k].Revision != e.Revision() {
			t.Errorf("%s: got %q at %d, want %q at %d", k, got[k].Value, got[k].Revision, e.Value(), e.Revision())
		}
	}
	if _, err := GetMany(ctx, js, "NOSUCHBUCKET", []string{"a"}); err == nil {
		t.Error("missing bucket: got no error")
	}
	// An answer that does not come is an error, never "no such keys".
	done, cancel := context.WithCancel(ctx)
	cancel()
	if got, err := GetMany(done, js, "GETMANY", []string{"a"}); err == nil {
		t.Errorf("ended context: got %v and no error", got)
	}
}
