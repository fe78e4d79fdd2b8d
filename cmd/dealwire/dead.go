package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/dealwire/dealwire/bus"
)

func runDead(ctx context.Context, e *env, args []string) error {
	const summary = "dead list: show the messages a stage gave up on (DEAD stream), with their reasons; " +
		"dead replay: send them back to their stage once the cause is fixed"
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprintf(e.stderr, "dealwire dead: %s\n\nUsage:\n  dealwire dead list [--stage S] [--json] [--config FILE] [--nats URL]\n"+
			"  dealwire dead replay [--stage S] [--id ID] [--config FILE] [--nats URL]\n", summary)
		if len(args) == 0 {
			return errUsage
		}
		return nil
	}
	switch args[0] {
	case "list":
		return runDeadList(ctx, e, args[1:])
	case "replay":
		return runDeadReplay(ctx, e, args[1:])
	default:
		fmt.Fprintf(e.stderr, "dealwire dead: unknown subcommand %q (want list or replay)\n", args[0])
		return errUsage
	}
}

// deadFlags are the flags both subcommands share.
type deadFlags struct {
	cfgPath, natsURL, stage *string
}

func newDeadFlags(e *env, name, summary string) (*deadFlags, *flag.FlagSet) {
	fs := newFlagSet(e, name, summary)
	return &deadFlags{
		cfgPath: fs.String("config", "", "configuration file (YAML); default $DEALWIRE_CONFIG"),
		natsURL: fs.String("nats", "", "NATS server URL; default nats.url or $DEALWIRE_NATS_URL, else the embedded server of 'dealwire run'"),
		stage:   fs.String("stage", "", "only this stage's dead letters (extract, index, index-deals); default every stage"),
	}, fs
}

// connect loads the configuration and connects to NATS. Without a URL it
// tries the embedded server of a running "dealwire run" and, when none
// answers, starts that server here on the same store, so dead letters can
// be read while the pipeline is stopped.
func (f *deadFlags) connect(ctx context.Context) (*deps, error) {
	// The URL goes in before validation, which checks credentials against it.
	cfg, err := loadConfig(*f.cfgPath, func(c *config) {
		if *f.natsURL != "" {
			c.NATS.URL = *f.natsURL
		}
	})
	if err != nil {
		return nil, err
	}
	d := newDeps(cfg, "dead")
	if cfg.NATS.URL != "" {
		return d, connectBus(ctx, d, "dead", false)
	}
	emb := cfg.NATS.Embedded
	url := "nats://" + net.JoinHostPort(emb.Host, strconv.Itoa(emb.Port))
	if nc, js, err := bus.Connect(ctx, url, cfg.NATS, "dealwire-dead", discardLogger()); err == nil {
		d.nc, d.js = nc, js
		return d, nil
	}
	return d, connectBus(ctx, d, "dead", true)
}

func runDeadList(ctx context.Context, e *env, args []string) error {
	f, fs := newDeadFlags(e, "dead list", "list dead letters: id (for replay), stage, original subject, deliveries, time and reason")
	asJSON := fs.Bool("json", false, "print one JSON object per dead letter, with the full reason")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	d, err := f.connect(ctx)
	if err != nil {
		return err
	}
	defer d.closeBus()
	dls, err := bus.ListDead(ctx, d.js, *f.stage)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		for _, dl := range dls {
			if err := enc.Encode(deadJSON(dl)); err != nil {
				return fmt.Errorf("writing dead letter %d: %w", dl.ID, err)
			}
		}
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTAGE\tSUBJECT\tDELIVERIES\tTIME\tMSG ID\tREASON")
	for _, dl := range dls {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%s\t%s\t%s\n", dl.ID, dl.Stage, dl.Subject, dl.Deliveries,
			dl.Time.UTC().Format(time.RFC3339), dl.MsgID, clip(firstLineOf(dl.Reason), 120))
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("writing dead letters: %w", err)
	}
	fmt.Fprintf(e.stderr, "%d dead letters\n", len(dls))
	return nil
}

func deadJSON(dl bus.DeadLetter) map[string]any {
	return map[string]any{
		"id": dl.ID, "stage": dl.Stage, "subject": dl.Subject, "deliveries": dl.Deliveries,
		"time": dl.Time.UTC(), "msg_id": dl.MsgID, "reason": dl.Reason, "bytes": len(dl.Data),
	}
}

func runDeadReplay(ctx context.Context, e *env, args []string) error {
	f, fs := newDeadFlags(e, "dead replay", "re-publish dead letters to the subject they came from, so their stage handles them again, "+
		"and delete them from DEAD; replay after fixing the cause (a mapping, a bug), or they come back")
	id := fs.Uint64("id", 0, "replay only the dead letter with this id (see 'dealwire dead list'); default all (of --stage)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	d, err := f.connect(ctx)
	if err != nil {
		return err
	}
	defer d.closeBus()
	dls, err := bus.ListDead(ctx, d.js, *f.stage)
	if err != nil {
		return err
	}
	n := 0
	for _, dl := range dls {
		if *id != 0 && dl.ID != *id {
			continue
		}
		if err := bus.ReplayDead(ctx, d.js, dl); err != nil {
			return fmt.Errorf("%w (%d replayed before it)", err, n)
		}
		n++
		fmt.Fprintf(e.stdout, "replayed %d (%s) to %s\n", dl.ID, dl.Stage, dl.Subject)
	}
	if *id != 0 && n == 0 {
		return fmt.Errorf("replaying dead letter %d: no such dead letter%s (see 'dealwire dead list')", *id, stageNote(*f.stage))
	}
	fmt.Fprintf(e.stderr, "%d dead letters replayed\n", n)
	return nil
}

func stageNote(stage string) string {
	if stage == "" {
		return ""
	}
	return " of stage " + stage
}

func firstLineOf(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
