package sample

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"
)

// Site serves a corpus as feeds and pages on a loopback port of its own,
// as "dealwire run --sample" does.
type Site struct {
	ln  net.Listener
	srv *http.Server
}

// Listen starts listening for c on a free loopback port; [Site.Serve]
// answers there.
func (c *Corpus) Listen() (*Site, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listening for the sample feeds: %w", err)
	}
	return &Site{ln: ln, srv: &http.Server{Handler: c.Handler(), ReadHeaderTimeout: 10 * time.Second}}, nil
}

// URL is the site's base URL, "http://127.0.0.1:<port>", without a
// trailing slash; [Feed.Path] is relative to it.
func (s *Site) URL() string { return "http://" + s.ln.Addr().String() }

// IP is the address the site listens on, for a private-address guard to
// let through.
func (s *Site) IP() string { return s.ln.Addr().(*net.TCPAddr).IP.String() }

// Serve serves the corpus until ctx ends, then shuts down gracefully.
func (s *Site) Serve(ctx context.Context) error {
	errc := make(chan error, 1)
	go func() { errc <- s.srv.Serve(s.ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serving the sample feeds: %w", err)
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if err := s.srv.Shutdown(sctx); err != nil {
			s.srv.Close()
		}
		<-errc
		return nil
	}
}

// Close stops listening; for a site that is not served.
func (s *Site) Close() error { return s.ln.Close() }
