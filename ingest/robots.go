package ingest

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// robotsRules is the group of a robots.txt that applies to our agent.
type robotsRules struct {
	rules      []robotsRule
	crawlDelay time.Duration
}

type robotsRule struct {
	allow bool
	path  string
}

// parseRobots reads robots.txt and keeps the group for agent (matched on the
// product token, case-insensitively), or the "*" group when none names it.
func parseRobots(body []byte, agent string) robotsRules {
	agent = strings.ToLower(agent)
	if i := strings.IndexAny(agent, "/ "); i >= 0 {
		agent = agent[:i]
	}
	type group struct {
		agents []string
		r      robotsRules
	}
	var groups []*group
	var cur *group
	lastWasAgent := false
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(make([]byte, 0, 4096), 64<<10)
	for sc.Scan() {
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		key, val, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		key = strings.ToLower(strings.TrimSpace(key))
		val = strings.TrimSpace(val)
		switch key {
		case "user-agent":
			if !lastWasAgent || cur == nil {
				cur = &group{}
				groups = append(groups, cur)
			}
			cur.agents = append(cur.agents, strings.ToLower(val))
			lastWasAgent = true
			continue
		case "allow", "disallow":
			if cur != nil && (val != "" || key == "allow") {
				cur.r.rules = append(cur.r.rules, robotsRule{allow: key == "allow", path: val})
			}
		case "crawl-delay":
			if cur != nil {
				if f, err := strconv.ParseFloat(val, 64); err == nil && f > 0 {
					cur.r.crawlDelay = time.Duration(f * float64(time.Second))
				}
			}
		}
		lastWasAgent = false
	}
	var star *group
	for _, g := range groups {
		for _, a := range g.agents {
			if a == "*" && star == nil {
				star = g
			}
			if a != "*" && a != "" && strings.Contains(agent, a) {
				return g.r
			}
		}
	}
	if star != nil {
		return star.r
	}
	return robotsRules{}
}

// allowed applies the longest matching rule (Allow winning ties), as RFC 9309 says.
func (r robotsRules) allowed(path string) bool {
	best, allow := -1, true
	for _, rule := range r.rules {
		if rule.path == "" {
			continue
		}
		if n := robotsMatch(rule.path, path); n >= 0 && (n > best || n == best && rule.allow) {
			best, allow = n, rule.allow
		}
	}
	return allow
}

// robotsMatch returns the pattern's length when it matches path (with "*"
// wildcards and a "$" end anchor), or -1.
func robotsMatch(pattern, path string) int {
	anchored := strings.HasSuffix(pattern, "$")
	if globMatch(strings.TrimSuffix(pattern, "$"), path, anchored, 0) {
		return len(pattern)
	}
	return -1
}

func globMatch(p, s string, anchored bool, depth int) bool {
	star := strings.IndexByte(p, '*')
	if star < 0 {
		if anchored {
			return s == p
		}
		return strings.HasPrefix(s, p)
	}
	if !strings.HasPrefix(s, p[:star]) || depth > 8 {
		return false
	}
	rest := p[star+1:]
	for i := star; i <= len(s); i++ {
		if globMatch(rest, s[i:], anchored, depth+1) {
			return true
		}
	}
	return false
}

// robotsCache fetches and keeps each host's robots.txt for a day (an hour
// when it could not be read).
type robotsCache struct {
	f     *fetcher
	agent string

	// mu guards hosts.
	mu    sync.Mutex
	hosts map[string]robotsEntry
}

type robotsEntry struct {
	rules   robotsRules
	expires time.Time
}

func newRobotsCache(f *fetcher, agent string) *robotsCache {
	return &robotsCache{f: f, agent: agent, hosts: make(map[string]robotsEntry)}
}

// check reports whether rawURL may be fetched. Robots files that are missing
// (4xx) or unreadable allow everything; a 5xx disallows for an hour, as
// RFC 9309 asks.
func (c *robotsCache) check(ctx context.Context, rawURL string) (bool, error) {
	return c.checkWith(ctx, rawURL, true)
}

// checkWith is check; with wait false a robots.txt not yet cached is fetched
// without waiting for the host's turn. Redirect checks use that: they run
// while the redirecting request holds a slot of another host, and waiting
// there could deadlock two hosts that redirect to each other.
func (c *robotsCache) checkWith(ctx context.Context, rawURL string, wait bool) (bool, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return false, err
	}
	key := strings.ToLower(u.Scheme + "://" + u.Host)
	c.mu.Lock()
	e, ok := c.hosts[key]
	c.mu.Unlock()
	if !ok || time.Now().After(e.expires) {
		e = c.load(ctx, key, u.Host, wait)
		c.mu.Lock()
		if len(c.hosts) >= maxHostSlots {
			now := time.Now()
			for k, old := range c.hosts {
				if now.After(old.expires) {
					delete(c.hosts, k)
				}
			}
		}
		c.hosts[key] = e
		c.mu.Unlock()
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	if u.RawQuery != "" {
		path += "?" + u.RawQuery
	}
	return e.rules.allowed(path), nil
}

func (c *robotsCache) load(ctx context.Context, base, host string, wait bool) robotsEntry {
	get := c.f.get
	if !wait {
		get = c.f.do
	}
	resp, err := get(ctx, request{url: base + "/robots.txt", kind: kindRobots})
	var se *StatusError
	switch {
	case err == nil:
		rules := parseRobots(resp.body, c.agent)
		if rules.crawlDelay > 0 {
			c.f.hosts.setDelay(host, rules.crawlDelay)
		}
		return robotsEntry{rules: rules, expires: time.Now().Add(24 * time.Hour)}
	case errors.As(err, &se) && se.Code >= 500:
		return robotsEntry{rules: robotsRules{rules: []robotsRule{{path: "/"}}}, expires: time.Now().Add(time.Hour)}
	case errors.As(err, &se) && se.Code >= 400, errors.As(err, &se) && se.Code == http.StatusNotModified:
		return robotsEntry{expires: time.Now().Add(24 * time.Hour)}
	default:
		return robotsEntry{expires: time.Now().Add(time.Hour)}
	}
}
