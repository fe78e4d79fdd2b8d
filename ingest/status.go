package ingest

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"text/tabwriter"
	"time"
)

// FeedStatus is a feed's stored state and whether the configuration still
// lists it: one line of "dealwire feeds list".
type FeedStatus struct {
	FeedState
	Configured bool `json:"configured"`
}

// FeedStatuses joins the configured feeds with the stored states: every
// configured feed in order (its configured name, "disabled" as the status of
// a disabled one), then the states of feeds no longer configured, by URL.
func FeedStatuses(feeds []FeedConfig, states []FeedState) []FeedStatus {
	byURL := make(map[string]FeedState, len(states))
	for _, s := range states {
		byURL[s.URL] = s
	}
	var rows []FeedStatus
	for _, f := range feeds {
		s, ok := byURL[f.URL]
		if !ok {
			s = FeedState{URL: f.URL}
		}
		if f.Name != "" {
			s.Name = f.Name
		}
		if f.Disabled {
			s.LastStatus = "disabled"
		}
		delete(byURL, f.URL)
		rows = append(rows, FeedStatus{FeedState: s, Configured: true})
	}
	var rest []FeedStatus
	for _, s := range byURL {
		rest = append(rest, FeedStatus{FeedState: s})
	}
	sort.Slice(rest, func(i, j int) bool { return rest[i].URL < rest[j].URL })
	return append(rows, rest...)
}

// WriteStatuses writes rows as "dealwire feeds list" shows them: a table
// with how long ago each feed last succeeded and when it is polled next, or
// with asJSON one JSON object per line.
func WriteStatuses(w io.Writer, rows []FeedStatus, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(w)
		for _, r := range rows {
			if err := enc.Encode(r); err != nil {
				return fmt.Errorf("writing feeds: %w", err)
			}
		}
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tSTATUS\tLAST SUCCESS\tERRORS\tNEXT POLL\tPUBLISHED\tURL\tLAST ERROR")
	for _, r := range rows {
		status := r.LastStatus
		if status == "" {
			status = "-"
		}
		if !r.Configured {
			status += " (not configured)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d/%d\t%s\t%d\t%s\t%s\n", r.Name, status, ago(r.LastSuccess), r.ErrorCount, r.TotalErrors,
			until(r.NextPoll), r.Published, r.URL, oneLine(r.LastError, 80))
	}
	return tw.Flush()
}

func ago(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return time.Since(t).Round(time.Second).String() + " ago"
}

func until(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	if d := time.Until(t); d > 0 {
		return "in " + d.Round(time.Second).String()
	}
	return "due"
}
