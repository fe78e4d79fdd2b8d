package sample

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestSite(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	site, err := c.Listen()
	if err != nil {
		t.Fatal(err)
	}
	defer site.Close()
	if !strings.HasPrefix(site.URL(), "http://127.0.0.1:") || site.IP() != "127.0.0.1" {
		t.Errorf("URL %q, IP %q: want a loopback address", site.URL(), site.IP())
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- site.Serve(ctx) }()
	resp, err := http.Get(site.URL() + c.Feeds()[0].Path)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || len(body) == 0 {
		t.Errorf("GET %s: %s, %d bytes", c.Feeds()[0].Path, resp.Status, len(body))
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Serve after cancel = %v, want nil", err)
	}
}
