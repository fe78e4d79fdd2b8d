package bus

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/nats-io/nats.go"

	"github.com/dealwire/dealwire/news"
)

// TestWriteAndReplayDeadLetters lists dead letters as the table and as JSON
// and replays one of them by id.
func TestWriteAndReplayDeadLetters(t *testing.T) {
	js, _ := setup(t)
	long := strings.Repeat("x", 200)
	for _, dl := range []struct{ stage, subject, reason, msgID string }{
		{"extract", news.ArticleSubject("a"), "mapping rejected", "a1"},
		{"index", news.RecordSubject("b"), long, "b1"},
	} {
		m := &nats.Msg{Subject: news.DeadSubject(dl.stage), Data: []byte(`{"v":1}`), Header: nats.Header{}}
		m.Header.Set(HeaderStage, dl.stage)
		m.Header.Set(HeaderSubject, dl.subject)
		m.Header.Set(HeaderError, dl.reason)
		m.Header.Set(HeaderDeliveries, "3")
		m.Header.Set(HeaderMsgID, dl.msgID)
		if _, err := js.PublishMsg(t.Context(), m); err != nil {
			t.Fatal(err)
		}
	}
	dls, err := ListDead(t.Context(), js, "")
	if err != nil {
		t.Fatal(err)
	}
	// A reason of several lines shows its first line only in the table.
	shown := append([]DeadLetter{}, dls...)
	shown[0].Reason = "mapping rejected\nsecond line"

	var table bytes.Buffer
	if err := writeDeadLetters(&table, shown, false); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(table.String(), "\n"), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "ID") || !strings.Contains(lines[0], "REASON") {
		t.Fatalf("table:\n%s\nwant a header and two rows", table.String())
	}
	if !strings.HasSuffix(lines[1], "mapping rejected") || !strings.Contains(lines[1], "extract") || !strings.Contains(lines[1], "a1") {
		t.Errorf("row %q: want the stage, the message id and the first line of the reason", lines[1])
	}
	if !strings.HasSuffix(lines[2], strings.Repeat("x", 120)+"...") {
		t.Errorf("row %q: want the long reason cut at 120 bytes", lines[2])
	}

	var js1 bytes.Buffer
	if err := writeDeadLetters(&js1, shown, true); err != nil {
		t.Fatal(err)
	}
	var first map[string]any
	if err := json.Unmarshal([]byte(strings.SplitN(js1.String(), "\n", 2)[0]), &first); err != nil {
		t.Fatal(err)
	}
	if first["reason"] != "mapping rejected\nsecond line" || first["stage"] != "extract" || first["bytes"] != float64(7) {
		t.Errorf("json line %v: want the full reason, the stage and the payload size", first)
	}

	var listed bytes.Buffer
	if n, err := WriteDeadLetters(t.Context(), js, "index", &listed, false); err != nil || n != 1 || strings.Count(listed.String(), "\n") != 2 {
		t.Errorf("listing the index stage's: %d, %v:\n%s\nwant one letter", n, err, listed.String())
	}

	var out bytes.Buffer
	if _, err := ReplayDeadLetters(t.Context(), js, "extract", dls[1].ID, &out); err == nil ||
		!strings.Contains(err.Error(), "no such dead letter of stage extract") {
		t.Errorf("replaying an index letter as extract: %v, want no such dead letter of stage extract", err)
	}
	n, err := ReplayDeadLetters(t.Context(), js, "", dls[0].ID, &out)
	if err != nil || n != 1 {
		t.Fatalf("replayed %d: %v", n, err)
	}
	if want := "replayed 1 (extract) to " + news.ArticleSubject("a") + "\n"; out.String() != want {
		t.Errorf("replay wrote %q, want %q", out.String(), want)
	}
	left, err := ListDead(t.Context(), js, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(left) != 1 || left[0].Stage != "index" {
		t.Errorf("left %+v, want only the index letter", left)
	}
}
