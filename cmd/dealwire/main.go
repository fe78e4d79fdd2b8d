// Command dealwire turns business news into searchable, structured deal facts.
//
// One binary: "dealwire run" runs every stage in one process with an embedded
// NATS server and an embedded SQLite index; "fetch", "extract", "index" and
// "serve" run one stage each against external NATS and Elasticsearch.
//
// This package parses flags, loads the configuration (package config) and
// calls the packages that do the work; pipeline builds and runs the stages.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"os/signal"
	"slices"
	"syscall"

	"github.com/dealwire/dealwire/config"
)

// env is what every subcommand gets: its standard streams. Commands that need
// configuration load it themselves with config.Load so that --help works
// without a config file.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// runFunc runs a subcommand with the arguments after its name.
type runFunc func(ctx context.Context, e *env, args []string) error

// command is one subcommand.
type command struct {
	summary string
	run     runFunc
}

var commands = map[string]command{
	"run":     {"run every stage in one process (embedded NATS and SQLite unless configured otherwise)", runAll},
	"fetch":   {"run the fetch stage: poll feeds, fetch pages, publish articles", runFetch},
	"extract": {"extract deal facts from text on stdin (or run the extract stage with --stage)", runExtract},
	"index":   {"run the index stage: write records to the index (subcommand reindex rebuilds)", runIndex},
	"serve":   {"serve the search API and web page", runServe},
	"search":  {"search the index from the command line", runSearch},
	"export":  {"export the deals a search matches as CSV, NDJSON or Parquet", runExport},
	"eval":    {"score the extractor against a labeled JSONL file", runEval},
	"train":   {"train the extractor's decision model on labelled JSONL files", runTrain},
	"page":    {"extract main text and metadata from one HTML page on stdin", runPage},
	"feeds":   {"list feeds with their state, or import an OPML file", runFeeds},
	"dead":    {"list dead letters with their reasons, or replay them to their stage", runDead},
	"alerts":  {"alert rules: run the alerts stage, test a rule on the index, list what each sent last", runAlerts},
	"version": {"print the version", runVersion},
}

// errUsage means the command line was wrong; the message has been printed.
var errUsage = errors.New("usage")

func main() {
	// The context ends on SIGINT or SIGTERM; every stage drains and stops in
	// the order written in package pipeline's doc.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	e := &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr}
	err := dispatch(ctx, e, os.Args[1:])
	stop()
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
	case errors.Is(err, errUsage):
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "dealwire:", err)
		os.Exit(1)
	}
}

func dispatch(ctx context.Context, e *env, args []string) error {
	if help, done := helpAsked(args); help {
		usage(e.stderr)
		return done
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(e.stderr, "dealwire: unknown command %q\n\n", args[0])
		usage(e.stderr)
		return errUsage
	}
	return c.run(ctx, e, args[1:])
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "dealwire turns business news into searchable, structured deal facts.")
	fmt.Fprintln(w, "\nUsage: dealwire <command> [flags]\n\nCommands:")
	for _, n := range slices.Sorted(maps.Keys(commands)) {
		fmt.Fprintf(w, "  %-8s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nRun 'dealwire <command> --help' for the flags of a command.")
}

// helpAsked reports whether args ask for a command's usage instead of
// naming a subcommand; done is what the command returns once it printed
// it: errUsage when args are empty.
func helpAsked(args []string) (help bool, done error) {
	if len(args) == 0 {
		return true, errUsage
	}
	return args[0] == "-h" || args[0] == "--help" || args[0] == "help", nil
}

// usageError prints what is wrong with the command line after "dealwire "
// and returns errUsage.
func usageError(e *env, format string, a ...any) error {
	fmt.Fprintf(e.stderr, "dealwire "+format+"\n", a...)
	return errUsage
}

// newFlagSet returns a flag set whose --help prints what the command does.
func newFlagSet(e *env, name, summary string) *flag.FlagSet {
	fs := flag.NewFlagSet("dealwire "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "dealwire %s: %s\n\nFlags:\n", name, summary)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args and maps flag errors to errUsage.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	return nil
}

// configFlag registers the --config flag most commands take.
func configFlag(fs *flag.FlagSet) *string {
	return fs.String("config", "", "configuration file (YAML); default $DEALWIRE_CONFIG")
}

// parseConfig parses args, then loads the configuration file of --config
// ([configFlag]) with the overrides of the flags fs has of --data-dir,
// --http-addr and --nats.
func parseConfig(fs *flag.FlagSet, args []string) (*config.Config, error) {
	if err := parseFlags(fs, args); err != nil {
		return nil, err
	}
	value := func(name string) string {
		if f := fs.Lookup(name); f != nil {
			return f.Value.String()
		}
		return ""
	}
	return config.Load(value("config"), config.DataDir(value("data-dir")), config.HTTPAddr(value("http-addr")), config.NATSURL(value("nats")))
}

// listFlag registers a repeatable string flag whose values *list collects.
func listFlag(fs *flag.FlagSet, list *[]string, name, usage string) {
	fs.Func(name, usage, func(v string) error { *list = append(*list, v); return nil })
}

// group is a command made of subcommands ("dealwire dead list"): without
// one, or asked for help, it prints summary and usage; want names the
// subcommands when args name none of them.
func group(name, summary, usage, want string, subs map[string]runFunc) runFunc {
	return func(ctx context.Context, e *env, args []string) error {
		if help, done := helpAsked(args); help {
			fmt.Fprintf(e.stderr, "dealwire %s: %s\n\nUsage:\n%s", name, summary, usage)
			return done
		}
		if run, ok := subs[args[0]]; ok {
			return run(ctx, e, args[1:])
		}
		return usageError(e, "%s: unknown subcommand %q (want %s)", name, args[0], want)
	}
}
