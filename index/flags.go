package index

import (
	"flag"
	"net/url"
	"slices"
	"strings"
	"time"
)

// AddFlags registers a flag for every parameter of [Params] but q and
// facets, named like the parameter with '-' for '_' (--lead-investor) and
// with its help, on fs; help replaces the help of the parameters it names,
// and the parameters in skip get no flag. The function it returns reads the
// flags, after parsing, as the URL parameters [ParseQuery] takes, with the
// remaining arguments as the full-text query q. "dealwire search" and
// "dealwire export" query with it.
func AddFlags(fs *flag.FlagSet, help map[string]string, skip ...string) func() url.Values {
	vals := map[string]*string{}
	for _, p := range Params {
		for _, name := range strings.Split(p[0], " / ") {
			if name == "q" || name == "facets" || slices.Contains(skip, name) {
				continue
			}
			h, ok := help[name]
			if !ok {
				h = p[1]
			}
			vals[name] = fs.String(strings.ReplaceAll(name, "_", "-"), "", h)
		}
	}
	return func() url.Values {
		v := url.Values{}
		for name, p := range vals {
			if *p != "" {
				v.Set(name, *p)
			}
		}
		if q := strings.Join(fs.Args(), " "); q != "" {
			v.Set("q", q)
		}
		return v
	}
}

// ParseFrom reads a start date as the from parameter takes it (2026-01-02,
// 2026-01 or RFC 3339); the zero time for "".
func ParseFrom(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, _, err := parseDate(s)
	if err != nil {
		return time.Time{}, &ParamError{Param: "from", Value: s, Err: err}
	}
	return t, nil
}
