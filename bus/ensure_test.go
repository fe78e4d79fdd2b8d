package bus

import (
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/dealwire/dealwire/bus/bustest"
)

// TestEnsureStream: created when missing, left alone when as configured,
// updated when a setting this program owns differs.
func TestEnsureStream(t *testing.T) {
	_, js := bustest.Connect(t, bustest.NewServer(t))
	sc := jetstream.StreamConfig{Name: "T", Subjects: []string{"t.>"}, Storage: jetstream.FileStorage, Replicas: 1,
		Duplicates: time.Minute, MaxAge: time.Hour, Description: "test"}
	for i := 0; i < 2; i++ {
		if err := EnsureStream(t.Context(), js, sc); err != nil {
			t.Fatalf("EnsureStream #%d: %v", i+1, err)
		}
	}
	sc.MaxAge = 2 * time.Hour
	if err := EnsureStream(t.Context(), js, sc); err != nil {
		t.Fatal(err)
	}
	st, err := js.Stream(t.Context(), "T")
	if err != nil {
		t.Fatal(err)
	}
	if got := st.CachedInfo().Config.MaxAge; got != 2*time.Hour {
		t.Errorf("MaxAge after a changed config = %v, want 2h", got)
	}
}
