package main

import (
	"context"
	"fmt"
	"html"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// site is a local news site: feeds of generated funding news, each
// article about 5 KB, and a page per article. Every tenth feed carries
// teasers only, so that the fetch stage fetches and extracts those pages.
type site struct {
	url          string
	srv          *http.Server
	feeds, items int
}

func startSite(feeds, items int) (*site, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &site{url: "http://" + ln.Addr().String(), feeds: feeds, items: items}
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("User-agent: *\nAllow: /\n"))
	})
	mux.HandleFunc("/feed/{feed}", s.feed)
	mux.HandleFunc("/a/{feed}/{item}", s.page)
	s.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.srv.Serve(ln) }() // returns when closed
	return s, nil
}

func (s *site) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = s.srv.Shutdown(ctx) // a slow client at the end does not matter
}

func (s *site) feedURL(i int) string { return fmt.Sprintf("%s/feed/%d", s.url, i) }

func (s *site) textBytes() int {
	n := 0
	for f := range s.feeds {
		for i := range s.items {
			_, text := article(f, i)
			n += len(text)
		}
	}
	return n
}

func (s *site) feed(w http.ResponseWriter, r *http.Request) {
	f, err := strconv.Atoi(r.PathValue("feed"))
	if err != nil || f < 0 || f >= s.feeds {
		http.NotFound(w, r)
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Site %d</title><link>%s/</link>`, f, s.url)
	base := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	for i := range s.items {
		title, text := article(f, i)
		if f%10 == 0 {
			text = "Read the full story on our site."
		}
		fmt.Fprintf(&b, `<item><title>%s</title><link>%s/a/%d/%d</link><guid>%d-%d</guid><pubDate>%s</pubDate><description>%s</description></item>`,
			html.EscapeString(title), s.url, f, i, f, i, base.Add(time.Duration(f*s.items+i)*time.Minute).Format(time.RFC1123Z),
			html.EscapeString(text))
	}
	b.WriteString(`</channel></rss>`)
	w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
	_, _ = w.Write([]byte(b.String()))
}

func (s *site) page(w http.ResponseWriter, r *http.Request) {
	f, err1 := strconv.Atoi(r.PathValue("feed"))
	i, err2 := strconv.Atoi(r.PathValue("item"))
	if err1 != nil || err2 != nil || f < 0 || f >= s.feeds || i < 0 || i >= s.items {
		http.NotFound(w, r)
		return
	}
	title, text := article(f, i)
	var b strings.Builder
	fmt.Fprintf(&b, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>%s</title></head><body><nav><a href="/">Home</a></nav><article><h1>%s</h1>`,
		html.EscapeString(title), html.EscapeString(title))
	for _, p := range strings.Split(text, "\n\n") {
		fmt.Fprintf(&b, "<p>%s</p>", html.EscapeString(p))
	}
	b.WriteString(`</article><footer>Local news</footer></body></html>`)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write([]byte(b.String()))
}

var (
	words = strings.Fields(`platform customers growth market revenue software data cloud founders team product launch
		expand europe asia america hiring engineers model training compute infrastructure energy solar battery
		storage grid robotics logistics health biotech clinical payments fintech lending insurance climate carbon
		hydrogen chips design security identity developer tools agents enterprise retail mobility charging
		satellites defense quantum materials manufacturing supply agriculture water`)
	investors = []string{"Sequoia Capital", "Accel", "Index Ventures", "Lightspeed", "General Catalyst", "Balderton",
		"Atomico", "Khosla Ventures", "Founders Fund", "Northzone", "Creandum", "Insight Partners"}
	rounds = []string{"seed", "Series A", "Series B", "Series C", "growth"}
)

// article returns the title and text of item i of feed f: about 5 KB of
// generated funding news, the same every time.
func article(f, i int) (title, text string) {
	rng := rand.New(rand.NewPCG(uint64(f), uint64(i)))
	company := fmt.Sprintf("%s%s %d", strings.ToUpper(words[rng.IntN(len(words))][:1]), words[rng.IntN(len(words))][1:], f*1000+i)
	amount := 2 + rng.IntN(300)
	round := rounds[rng.IntN(len(rounds))]
	lead, other := investors[rng.IntN(len(investors))], investors[rng.IntN(len(investors))]
	title = fmt.Sprintf("%s raises $%d million %s", company, amount, round)
	var b strings.Builder
	fmt.Fprintf(&b, "%s, a startup building %s %s, has raised $%d million in a %s round led by %s, with participation from %s.",
		company, words[rng.IntN(len(words))], words[rng.IntN(len(words))], amount, round, lead, other)
	for p := range 6 {
		b.WriteString("\n\n")
		for range 6 {
			b.WriteString("The company said its ")
			for w := range 10 + rng.IntN(6) {
				if w > 0 {
					b.WriteByte(' ')
				}
				b.WriteString(words[rng.IntN(len(words))])
			}
			b.WriteString(". ")
		}
		if p == 2 {
			fmt.Fprintf(&b, "The new funding brings the total raised by %s to $%d million.", company, amount+rng.IntN(100))
		}
	}
	return title, b.String()
}
