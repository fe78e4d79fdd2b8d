package api

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// testToken is generated for these tests only.
const testToken = "test-token-0123456789abcdef"

// getWith sends a GET with the given Authorization header (none when empty).
func getWith(t *testing.T, url, authorization string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

func TestBearerToken(t *testing.T) {
	srv := newServerWith(t, Config{Token: testToken})
	tests := []struct {
		name, path, auth string
		wantCode         int
		wantChallenge    string // substring of WWW-Authenticate on a 401
		wantBody         string
	}{
		{"search with the token", "/api/search?q=heat+pumps", "Bearer " + testToken, 200, "", `"total":1`},
		{"scheme in lower case", "/api/search", "bearer " + testToken, 200, "", `"total":2`},
		{"article with the token", "/api/articles/a1", "Bearer " + testToken, 200, "", `"id":"a1"`},
		{"deals with the token", "/api/deals", "Bearer " + testToken, 200, "", `"hits":[]`},
		{"search without a token", "/api/search", "", 401, `Bearer realm="dealwire"`, "this server needs a token: send the header Authorization: Bearer"},
		{"article without a token", "/api/articles/a1", "", 401, `Bearer realm="dealwire"`, "needs a token"},
		{"deals without a token", "/api/deals", "", 401, `Bearer realm="dealwire"`, "needs a token"},
		{"wrong token", "/api/search", "Bearer " + testToken + "x", 401, `error="invalid_token"`, "the bearer token is wrong"},
		{"token prefix", "/api/search", "Bearer " + testToken[:20], 401, `error="invalid_token"`, "the bearer token is wrong"},
		{"basic auth", "/api/search", "Basic ZGVhbHdpcmU6cGFzcw==", 401, `Bearer realm="dealwire"`, "needs a token"},
		{"empty bearer", "/api/search", "Bearer ", 401, `Bearer realm="dealwire"`, "needs a token"},
		{"unknown api path", "/api/nothing", "", 401, `Bearer realm="dealwire"`, "needs a token"},
		{"unknown api path with the token", "/api/nothing", "Bearer " + testToken, 404, "", ""},
		{"page without a token", "/", "", 200, "", "sessionStorage"},
		{"healthz without a token", "/healthz", "", 200, "", "ok"},
		{"metrics without a token", "/metrics", "", 200, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := getWith(t, srv.URL+tt.path, tt.auth)
			if resp.StatusCode != tt.wantCode {
				t.Fatalf("status %d, want %d; body %s", resp.StatusCode, tt.wantCode, body)
			}
			if !strings.Contains(body, tt.wantBody) {
				t.Errorf("body %s lacks %q", body, tt.wantBody)
			}
			challenge := resp.Header.Get("WWW-Authenticate")
			if tt.wantCode == 401 {
				if !strings.Contains(challenge, tt.wantChallenge) {
					t.Errorf("WWW-Authenticate %q lacks %q", challenge, tt.wantChallenge)
				}
				var e apiError
				if err := json.Unmarshal([]byte(body), &e); err != nil || e.Error == "" {
					t.Errorf("401 body %q is not a JSON error", body)
				}
				if strings.Contains(body, testToken) {
					t.Errorf("401 body repeats the token: %s", body)
				}
			} else if challenge != "" {
				t.Errorf("WWW-Authenticate %q on a %d", challenge, resp.StatusCode)
			}
		})
	}
}

// TestNoTokenUnchanged checks that without http.token nothing asks for one.
func TestNoTokenUnchanged(t *testing.T) {
	srv := newServer(t)
	for _, path := range []string{"/api/search", "/api/articles/a1", "/"} {
		if resp, body := getWith(t, srv.URL+path, ""); resp.StatusCode != 200 || resp.Header.Get("WWW-Authenticate") != "" {
			t.Errorf("GET %s without a token: status %d, challenge %q; body %s", path, resp.StatusCode, resp.Header.Get("WWW-Authenticate"), body)
		}
	}
	// A client that sends a token anyway is not refused.
	if resp, _ := getWith(t, srv.URL+"/api/search", "Bearer whatever"); resp.StatusCode != 200 {
		t.Errorf("GET /api/search with an unneeded token: status %d", resp.StatusCode)
	}
}

func TestValidateToken(t *testing.T) {
	tests := []struct {
		name, token string
		want        string // substring of the error; empty: valid
	}{
		{"none", "", ""},
		{"hex", "0123456789abcdef0123456789abcdef", ""},
		{"base64url", "dGVzdC10b2tlbi0wMTIz_-+/=", ""},
		{"short", "secret", "http.token has 6 characters, want at least 16"},
		{"space", "0123456789 abcdef", "http.token holds a space"},
		{"newline", "0123456789abcdef\n", "http.token holds a space, control or non-ASCII character"},
		{"non-ascii", "0123456789abcdéf", "non-ASCII"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Config{Token: tt.token}.WithDefaults().Validate()
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("Validate: %v, want no error", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("Validate: %v, want an error holding %q", err, tt.want)
			}
			if err != nil && tt.token != "" && strings.Contains(err.Error(), tt.token) {
				t.Errorf("error repeats the token: %v", err)
			}
		})
	}
}

// TestPageWithToken runs the page's script in Node against a server with a
// token (testdata/pagetoken.js says what it checks). It needs node on PATH.
func TestPageWithToken(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed: the page's script is not run")
	}
	srv := newServerWith(t, Config{Token: testToken})
	_, html := getWith(t, srv.URL+"/", "")
	m := regexp.MustCompile(`(?s)<script>(.*)</script>`).FindStringSubmatch(html)
	if m == nil {
		t.Fatal("the page has no <script>")
	}
	script := filepath.Join(t.TempDir(), "page.js")
	if err := os.WriteFile(script, []byte(m[1]), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.CommandContext(t.Context(), node, "testdata/pagetoken.js", srv.URL, script, testToken).CombinedOutput()
	if err != nil {
		t.Fatalf("the page with a token: %v\n%s", err, out)
	}
	t.Logf("%s", out)
}
