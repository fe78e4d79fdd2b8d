package ingest

import "sort"

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
