package api

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
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
		{"page without a token", "/", "", 401, `Bearer realm="dealwire"`, `<form class="login" method="post" action="/login">`},
		{"page with the token", "/?q=heat+pumps", "Bearer " + testToken, 200, "", "1 matching article"},
		{"page with a wrong token", "/", "Bearer " + testToken + "x", 401, `error="invalid_token"`, "the bearer token is wrong"},
		{"article page without a token", "/articles/a1", "", 401, `Bearer realm="dealwire"`, `name="next" value="/articles/a1"`},
		{"unknown page without a token", "/nothing", "", 401, `Bearer realm="dealwire"`, "This server needs its token"},
		{"token form", "/login", "", 200, "", `name="token" type="password"`},
		{"style sheet without a token", "/static/page.css", "", 200, "", "mark"},
		{"script without a token", "/static/page.js", "", 200, "", "requestSubmit"},
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
				if ctype := resp.Header.Get("Content-Type"); strings.HasPrefix(ctype, "text/html") {
					if tt.auth == "" && !strings.Contains(body, `name="token"`) {
						t.Errorf("401 page %q has no token form", body)
					}
				} else if err := json.Unmarshal([]byte(body), &e); err != nil || e.Error == "" {
					t.Errorf("401 body %q is not a JSON error", body)
				}
				if strings.HasPrefix(tt.path, "/api/") && !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
					t.Errorf("401 of the API is %q, want JSON", resp.Header.Get("Content-Type"))
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

// noRedirects is a client that shows redirects instead of following them.
func noRedirects() *http.Client {
	return &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// send makes a request with the given cookie (none when nil) and headers.
func send(t *testing.T, method, u string, form url.Values, cookie *http.Cookie, header ...string) (*http.Response, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(t.Context(), method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(header); i += 2 {
		if header[i] == "Host" {
			req.Host = header[i+1]
		}
		req.Header.Set(header[i], header[i+1])
	}
	if cookie != nil {
		req.AddCookie(cookie)
	}
	resp, err := noRedirects().Do(req)
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

// sessionOf is the session cookie resp sets, nil when none.
func sessionOf(resp *http.Response) *http.Cookie {
	for _, c := range resp.Cookies() {
		if c.Name == sessionCookie {
			return c
		}
	}
	return nil
}

// TestPageSession walks the page's token form: a page without the token
// shows the form, a wrong token is refused, the right one sets a session
// cookie that opens the pages and the links of the API (export, record),
// and "Forget token" ends it.
func TestPageSession(t *testing.T) {
	srv := newServerWith(t, Config{Token: testToken})

	resp, body := send(t, "GET", srv.URL+"/?q=heat+pumps", nil, nil)
	if resp.StatusCode != 401 || !strings.Contains(body, `name="next" value="/?q=heat&#43;pumps"`) {
		t.Fatalf("the page without a token: status %d; want 401 with the token form coming back to the search; body %.500s", resp.StatusCode, body)
	}
	if strings.Contains(body, "Quillstone") || strings.Contains(body, "Brightmoor") {
		t.Error("the token form shows index data")
	}

	resp, body = send(t, "POST", srv.URL+"/login", url.Values{"token": {testToken + "x"}, "next": {"/?q=heat+pumps"}}, nil)
	if resp.StatusCode != 401 || sessionOf(resp) != nil || !strings.Contains(body, "not the server&#39;s token") {
		t.Errorf("a wrong token: status %d, cookie %v; want 401, no cookie and a message; body %.400s", resp.StatusCode, sessionOf(resp), body)
	}
	if strings.Contains(body, testToken) {
		t.Error("the refusal repeats the token")
	}

	resp, _ = send(t, "POST", srv.URL+"/login", url.Values{"token": {" " + testToken + " "}, "next": {"/?q=heat+pumps"}}, nil)
	c := sessionOf(resp)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/?q=heat+pumps" || c == nil {
		t.Fatalf("the right token: status %d, location %q, cookie %v; want 303 to the search with a cookie", resp.StatusCode, resp.Header.Get("Location"), c)
	}
	if !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/" || c.Secure || c.MaxAge != int(sessionTTL.Seconds()) {
		t.Errorf("cookie %+v: want HttpOnly, SameSite=Strict, Path=/, a week, not Secure over plain HTTP", c)
	}
	if strings.Contains(c.Value, testToken) {
		t.Errorf("the cookie %q holds the token", c.Value)
	}

	for _, tt := range []struct{ path, want string }{
		{"/?q=heat+pumps", "1 matching article"},
		{"/articles/a1", "Quillstone"},
		{"/api/articles/a1", `"id":"a1"`},
		{"/api/search?q=heat+pumps", `"total":1`},
	} {
		if resp, body := send(t, "GET", srv.URL+tt.path, nil, c); resp.StatusCode != 200 || !strings.Contains(body, tt.want) {
			t.Errorf("GET %s with the session: status %d, want 200 with %q; body %.300s", tt.path, resp.StatusCode, tt.want, body)
		}
	}
	// The page offers to forget the token once it is in.
	if _, body := send(t, "GET", srv.URL+"/", nil, c); !strings.Contains(body, `action="/logout"`) {
		t.Error("the page with a session has no Forget token button")
	}
	// Already in: the form goes straight on.
	if resp, _ := send(t, "GET", srv.URL+"/login?next=/articles/a1", nil, c); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/articles/a1" {
		t.Errorf("GET /login with a session: status %d location %q, want 303 to /articles/a1", resp.StatusCode, resp.Header.Get("Location"))
	}

	resp, _ = send(t, "POST", srv.URL+"/logout", url.Values{}, c)
	if gone := sessionOf(resp); resp.StatusCode != http.StatusSeeOther || gone == nil || gone.MaxAge >= 0 {
		t.Errorf("logout: status %d, cookie %+v; want 303 and the cookie removed", resp.StatusCode, gone)
	}
}

func TestPageSessionRefusals(t *testing.T) {
	srv := newServerWith(t, Config{Token: testToken})
	g := newGate(testToken, nil)
	other := newGate(testToken+"-other", nil)
	now := time.Now()
	expired := g.session(now.Add(-time.Minute))
	valid := g.session(now.Add(time.Hour))
	e, sig, _ := strings.Cut(valid, ".")
	for _, tt := range []struct{ name, value, want string }{
		{"another token's", other.session(now.Add(time.Hour)), "This server needs its token"},
		{"expired", expired, "Your session has ended"},
		{"later expiry, same signature", strconv.FormatInt(now.Add(24*time.Hour).Unix(), 10) + "." + sig, "This server needs its token"},
		{"no signature", e, "This server needs its token"},
		{"garbage", "%%%.%%%", "This server needs its token"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := send(t, "GET", srv.URL+"/", nil, &http.Cookie{Name: sessionCookie, Value: tt.value})
			if resp.StatusCode != 401 || !strings.Contains(body, tt.want) {
				t.Errorf("status %d, want 401 with %q; body %.300s", resp.StatusCode, tt.want, body)
			}
			if resp, _ := send(t, "GET", srv.URL+"/api/search", nil, &http.Cookie{Name: sessionCookie, Value: tt.value}); resp.StatusCode != 401 {
				t.Errorf("the API with the cookie: status %d, want 401", resp.StatusCode)
			}
		})
	}
	if resp, _ := send(t, "GET", srv.URL+"/", nil, &http.Cookie{Name: sessionCookie, Value: valid}); resp.StatusCode != 200 {
		t.Errorf("a valid cookie made by another gate with the same token: status %d, want 200", resp.StatusCode)
	}

	// The form's next never leads off the server.
	for _, next := range []string{"//evil.example/", "https://evil.example/", `/\evil.example`, "javascript:alert(1)", ""} {
		resp, _ := send(t, "POST", srv.URL+"/login", url.Values{"token": {testToken}, "next": {next}}, nil)
		if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/" {
			t.Errorf("login with next %q: status %d, location %q; want 303 to /", next, resp.StatusCode, loc)
		}
	}
	// Behind a TLS proxy the cookie is Secure.
	resp, _ := send(t, "POST", srv.URL+"/login", url.Values{"token": {testToken}}, nil, "X-Forwarded-Proto", "https")
	if c := sessionOf(resp); c == nil || !c.Secure {
		t.Errorf("login over HTTPS: cookie %+v, want Secure", c)
	}
	// Another site cannot post the form (nor log a browser out).
	for _, path := range []string{"/login", "/logout"} {
		resp, _ := send(t, "POST", srv.URL+path, url.Values{"token": {testToken}}, nil, "Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example")
		if resp.StatusCode != http.StatusForbidden || sessionOf(resp) != nil {
			t.Errorf("cross-site POST %s: status %d, cookie %v; want 403 and no cookie", path, resp.StatusCode, sessionOf(resp))
		}
	}
	// A form too large to be a token is refused before it is read.
	resp, _ = send(t, "POST", srv.URL+"/login", url.Values{"token": {strings.Repeat("x", 10_000)}}, nil)
	if resp.StatusCode != http.StatusBadRequest || sessionOf(resp) != nil {
		t.Errorf("a 10 kB form: status %d, want 400", resp.StatusCode)
	}
	// Beyond loopback over plain HTTP the form warns that the token travels in clear.
	if _, body := send(t, "GET", srv.URL+"/login", nil, nil, "Host", "dealwire.example:8080"); !strings.Contains(body, "crosses the network in clear") {
		t.Error("the token form over plain HTTP to a public name has no warning")
	}
	if _, body := send(t, "GET", srv.URL+"/login", nil, nil); strings.Contains(body, "crosses the network in clear") {
		t.Error("the token form on loopback warns of clear text")
	}
}

// TestNoTokenNoForm checks that without http.token there is no token
// form and nothing to forget.
func TestNoTokenNoForm(t *testing.T) {
	srv := newServer(t)
	if resp, body := send(t, "GET", srv.URL+"/", nil, nil); resp.StatusCode != 200 || strings.Contains(body, "/logout") {
		t.Errorf("the page without http.token: status %d, forget button shown: %v", resp.StatusCode, strings.Contains(body, "/logout"))
	}
	if resp, _ := send(t, "POST", srv.URL+"/login", url.Values{"token": {"x"}}, nil); resp.StatusCode != http.StatusNotFound && resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /login without http.token: status %d, want 404 or 405", resp.StatusCode)
	}
}
