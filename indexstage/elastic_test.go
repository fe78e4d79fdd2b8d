package indexstage

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/dealwire/dealwire/bus"
	"github.com/dealwire/dealwire/bus/bustest"
	"github.com/dealwire/dealwire/index/elastic"
	"github.com/dealwire/dealwire/index/indextest"
	"github.com/dealwire/dealwire/news"
)

// TestStageElastic runs the stage into Elasticsearch, whose store takes
// the records as the JSON they came as ([elastic.Store.IndexRaw]): records
// on one line, indented and with a field this version does not know are
// stored; messages that are no record (not JSON, a title that is a number,
// no article id) are dead-lettered with the decoder's error, as for any
// other store.
func TestStageElastic(t *testing.T) {
	u := indextest.ElasticURL(t)
	srv := bustest.NewServer(t)
	_, js := bustest.Connect(t, srv)
	ctx := t.Context()
	cfg := bus.Config{}.WithDefaults()
	if err := bus.EnsureStreams(ctx, js, cfg); err != nil {
		t.Fatal(err)
	}
	name := make([]byte, 6)
	_, _ = rand.Read(name)
	store, err := elastic.New(ctx, elastic.Config{URLs: []string{u}, Index: "dealwire-test-" + hex.EncodeToString(name)}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := store.Delete(ctx); err != nil {
			t.Errorf("deleting the test index: %v", err)
		}
		store.Close()
	})
	const n = 25
	publishRecords(t, js, n)
	bad := map[string]string{
		"not-json":     `{"v":1,"article":{"id":"cut`,
		"title-number": `{"v":1,"article":{"id":"t1","title":5,"text":"x"}}`,
		"no-id":        `{"v":1,"article":{"title":"t","text":"x"}}`,
	}
	for id, data := range bad {
		msg := &nats.Msg{Subject: news.RecordSubject("example"), Data: []byte(data)}
		if _, err := js.PublishMsg(ctx, msg, jetstream.WithMsgID(id)); err != nil {
			t.Fatal(err)
		}
	}
	runStageUntil(t, js, store, cfg, n, len(bad))
	checkStored(t, store, n)
	if got := count(t, store); got != n {
		t.Errorf("the index holds %d records, want %d", got, n)
	}
	dead, err := js.Stream(ctx, news.StreamDead)
	if err != nil {
		t.Fatal(err)
	}
	for seq := range uint64(len(bad)) {
		m, err := dead.GetMsg(ctx, seq+1)
		if err != nil {
			t.Fatal(err)
		}
		id := m.Header.Get(bus.HeaderMsgID)
		if _, ok := bad[id]; !ok || string(m.Data) != bad[id] {
			t.Errorf("dead letter %d is %q (%s), want one of the bad messages", seq+1, m.Data, id)
		}
		if reason := m.Header.Get(bus.HeaderError); !strings.HasPrefix(reason, "decoding record: ") {
			t.Errorf("dead letter %s: reason %q, want the decoder's error", id, reason)
		}
	}
}
