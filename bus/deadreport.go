package bus

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// WriteDeadLetters lists the dead letters of stage (every stage when
// empty) to w as "dealwire dead list" shows them: a table with the first
// line of each reason, or with asJSON one JSON object per dead letter with
// the full reason and the payload's size. It returns how many there are.
func WriteDeadLetters(ctx context.Context, js jetstream.JetStream, stage string, w io.Writer, asJSON bool) (int, error) {
	dls, err := ListDead(ctx, js, stage)
	if err != nil {
		return 0, err
	}
	return len(dls), writeDeadLetters(w, dls, asJSON)
}

func writeDeadLetters(w io.Writer, dls []DeadLetter, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(w)
		for _, dl := range dls {
			v := map[string]any{
				"id": dl.ID, "stage": dl.Stage, "subject": dl.Subject, "deliveries": dl.Deliveries,
				"time": dl.Time.UTC(), "msg_id": dl.MsgID, "reason": dl.Reason, "bytes": len(dl.Data),
			}
			if err := enc.Encode(v); err != nil {
				return fmt.Errorf("writing dead letter %d: %w", dl.ID, err)
			}
		}
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTAGE\tSUBJECT\tDELIVERIES\tTIME\tMSG ID\tREASON")
	for _, dl := range dls {
		reason := firstLine(dl.Reason)
		if len(reason) > 120 {
			reason = reason[:120] + "..."
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%s\t%s\t%s\n", dl.ID, dl.Stage, dl.Subject, dl.Deliveries,
			dl.Time.UTC().Format(time.RFC3339), dl.MsgID, reason)
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("writing dead letters: %w", err)
	}
	return nil
}

// ReplayDeadLetters replays, with [ReplayDead], the dead letters of stage
// (every stage when empty), or only the one numbered id when id is not 0,
// and writes a line to w for each. It returns how many it replayed; an
// error says how many went before it.
func ReplayDeadLetters(ctx context.Context, js jetstream.JetStream, stage string, id uint64, w io.Writer) (int, error) {
	dls, err := ListDead(ctx, js, stage)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, dl := range dls {
		if id != 0 && dl.ID != id {
			continue
		}
		if err := ReplayDead(ctx, js, dl); err != nil {
			return n, fmt.Errorf("%w (%d replayed before it)", err, n)
		}
		n++
		fmt.Fprintf(w, "replayed %d (%s) to %s\n", dl.ID, dl.Stage, dl.Subject)
	}
	if id != 0 && n == 0 {
		of := ""
		if stage != "" {
			of = " of stage " + stage
		}
		return 0, fmt.Errorf("replaying dead letter %d: no such dead letter%s (see 'dealwire dead list')", id, of)
	}
	return n, nil
}
