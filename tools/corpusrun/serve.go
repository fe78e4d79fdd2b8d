package main

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"
)

// corpusServer serves the corpus as a news site on loopback: an RSS feed
// listing every document, one HTML page per document and a robots.txt that
// allows everything. It counts what it serves, so the run can tell pages
// that were never asked for from pages that were lost later.
type corpusServer struct {
	docs []doc
	byID map[string]int
	base string // http://127.0.0.1:port
	// published is the feed's newest pubDate; document i is i minutes
	// older, so the feed's order is the corpus order.
	published time.Time
	srv       *http.Server
	done      chan struct{} // closed when Serve has returned

	// mu guards the counters below.
	mu        sync.Mutex
	feedHits  int
	robotHits int
	served    map[string]int // page requests per document id
	lastPage  time.Time
}

// startCorpusServer listens on a free loopback port and serves docs until
// close is called.
func startCorpusServer(docs []doc) (*corpusServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listening for the corpus server: %w", err)
	}
	s := &corpusServer{
		docs:      docs,
		byID:      make(map[string]int, len(docs)),
		base:      "http://" + ln.Addr().String(),
		published: time.Now().UTC().Add(-time.Minute).Truncate(time.Second),
		served:    map[string]int{},
	}
	for i, d := range docs {
		s.byID[d.ID] = i
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /robots.txt", s.robots)
	mux.HandleFunc("GET /feed.xml", s.feed)
	mux.HandleFunc("GET /doc/{id}", s.page)
	s.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	s.done = make(chan struct{})
	go func() {
		defer close(s.done)
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintf(os.Stderr, "corpus server: %v\n", err)
		}
	}()
	return s, nil
}

// close stops the server and waits for its serving goroutine.
func (s *corpusServer) close(ctx context.Context) error {
	err := s.srv.Shutdown(ctx)
	<-s.done
	return err
}

func (s *corpusServer) feedURL() string { return s.base + "/feed.xml" }

func (s *corpusServer) pageURL(id string) string { return s.base + "/doc/" + id }

// docOf returns the index of the document whose page is u, or -1.
func (s *corpusServer) docOf(u string) int {
	id, ok := strings.CutPrefix(u, s.base+"/doc/")
	if !ok {
		return -1
	}
	if i, ok := s.byID[strings.TrimSuffix(id, "/")]; ok {
		return i
	}
	return -1
}

// counts is a snapshot of what the server has served.
type counts struct {
	feedHits, robotHits, pages, requests int
	lastPage                             time.Time
}

func (s *corpusServer) counts() counts {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := counts{feedHits: s.feedHits, robotHits: s.robotHits, pages: len(s.served), lastPage: s.lastPage}
	for _, n := range s.served {
		c.requests += n
	}
	return c
}

// servedCount is how many times the page of document id was asked for.
func (s *corpusServer) servedCount(id string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.served[id]
}

func (s *corpusServer) robots(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	s.robotHits++
	s.mu.Unlock()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("User-agent: *\nAllow: /\n"))
}

type rssFeed struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	Channel rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title       string    `xml:"title"`
	Link        string    `xml:"link"`
	Description string    `xml:"description"`
	Items       []rssItem `xml:"item"`
}

// rssItem carries no description, so that the poller (full_text "auto",
// fewer than full_text_min_chars characters in the feed) fetches every page
// and the run goes through page fetching and main-text extraction.
type rssItem struct {
	Title   string  `xml:"title"`
	Link    string  `xml:"link"`
	GUID    rssGUID `xml:"guid"`
	PubDate string  `xml:"pubDate"`
}

type rssGUID struct {
	IsPermaLink string `xml:"isPermaLink,attr"`
	Value       string `xml:",chardata"`
}

func (s *corpusServer) feed(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	s.feedHits++
	s.mu.Unlock()
	f := rssFeed{Version: "2.0", Channel: rssChannel{
		Title:       "dealwire corpus run",
		Link:        s.base + "/",
		Description: "every document of the labelled corpus, one item each",
	}}
	for i, d := range s.docs {
		u := s.pageURL(d.ID)
		f.Channel.Items = append(f.Channel.Items, rssItem{
			Title:   d.headline(),
			Link:    u,
			GUID:    rssGUID{IsPermaLink: "true", Value: u},
			PubDate: s.published.Add(-time.Duration(i) * time.Minute).Format(time.RFC1123Z),
		})
	}
	body, err := xml.MarshalIndent(f, "", " ")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
	_, _ = w.Write([]byte(xml.Header))
	_, _ = w.Write(body)
}

// page serves a document as a plain article page: the headline in <title>,
// one <p> per line of the text inside <article>. go-trafilatura takes the
// article element as the main text; the first paragraph, when it repeats the
// title, is dropped by the page parser and put back by the poller, which
// prefixes every article's text with its feed title.
func (s *corpusServer) page(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	i, ok := s.byID[id]
	if !ok {
		http.NotFound(w, r)
		return
	}
	s.mu.Lock()
	s.served[id]++
	s.lastPage = time.Now()
	s.mu.Unlock()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write([]byte(pageHTML(s.docs[i])))
}

func pageHTML(d doc) string {
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>")
	b.WriteString(html.EscapeString(d.headline()))
	b.WriteString("</title></head>\n<body><main><article>\n")
	for _, p := range d.paragraphs() {
		b.WriteString("<p>")
		b.WriteString(html.EscapeString(p))
		b.WriteString("</p>\n")
	}
	b.WriteString("</article></main></body></html>\n")
	return b.String()
}
