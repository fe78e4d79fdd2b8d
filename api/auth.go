package api

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// minTokenLen is the shortest bearer token accepted: a token is the only
// thing between the network and the index, so a guessable one is refused.
const minTokenLen = 16

// validateToken refuses a token too short to resist guessing, or one that
// cannot travel in an Authorization header unchanged.
func validateToken(token string) error {
	if token == "" {
		return nil
	}
	if len(token) < minTokenLen {
		return fmt.Errorf("http.token has %d characters, want at least %d (for example: openssl rand -hex 32)", len(token), minTokenLen)
	}
	for _, r := range token {
		if r <= ' ' || r > '~' {
			return fmt.Errorf("http.token holds a space, control or non-ASCII character: use printable ASCII only (for example: openssl rand -hex 32)")
		}
	}
	return nil
}

// openPaths are served without the token: the page's style sheet, script
// and token form hold no data, and health checks and metric scrapers carry
// no token.
var openPaths = map[string]bool{
	"/healthz": true, "/metrics": true,
	"/static/page.css": true, "/static/page.js": true,
	"/login": true, "/logout": true,
}

// Page sessions. A browser cannot add an Authorization header to a link
// or a form, so the page takes the token once in a form (POST /login) and
// answers with a session cookie: HttpOnly (no script reads it), SameSite
// Strict (no other site's link or form carries it, which is what keeps
// the read-only GET endpoints safe from cross-site requests) and Secure
// when the request came over HTTPS. Its value is an expiry time and an
// HMAC-SHA256 of it keyed with the token, so the cookie never holds the
// token itself, the server keeps no session state, and changing the token
// ends every session.
const (
	sessionCookie = "dealwire_session"
	// sessionTTL is how long a session lasts after the token was entered.
	sessionTTL = 7 * 24 * time.Hour
	// sessionMAC is the message prefix of the session HMAC; a new format
	// gets a new prefix so that old cookies stop matching.
	sessionMAC = "dealwire page session v1|"
)

// gate checks the token of every request when one is configured: in the
// Authorization header, or in the page's session cookie.
type gate struct {
	token string
	// want is the token's SHA-256: comparing hashes in constant time hides
	// both the token and its length.
	want   [32]byte
	logger *slog.Logger
	// loginPage renders the page's token form with an HTTP status and a
	// message for the reader, next being where to go after it; nil when
	// the gate guards no page, and every refusal is JSON.
	loginPage func(w http.ResponseWriter, r *http.Request, status int, next, msg string)
	now       func() time.Time
}

func newGate(token string, logger *slog.Logger) *gate {
	return &gate{token: token, want: sha256.Sum256([]byte(token)), logger: logger, now: time.Now}
}

// guard wraps next so that, with a token configured, every request outside
// openPaths must carry "Authorization: Bearer <token>" or a valid session
// cookie. Unknown paths need it too, so nothing new is ever served open
// by mistake. A refused API or alert feed request gets a JSON 401; a
// refused page gets the token form.
func (g *gate) guard(next http.Handler) http.Handler {
	if g.token == "" {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if openPaths[r.URL.Path] {
			next.ServeHTTP(w, r)
			return
		}
		if header := r.Header.Get("Authorization"); header != "" {
			if given, ok := bearer(header); ok {
				if !g.matches(given) {
					g.logger.Debug("refused a request with a wrong bearer token", "path", r.URL.Path, "remote_addr", r.RemoteAddr)
					w.Header().Set("WWW-Authenticate", `Bearer realm="dealwire", error="invalid_token", error_description="the token is wrong"`)
					writeJSON(w, http.StatusUnauthorized, apiError{Error: "the bearer token is wrong: send the server's http.token"})
					return
				}
				next.ServeHTTP(w, r)
				return
			}
		}
		expired := false
		if c, err := r.Cookie(sessionCookie); err == nil {
			var ok bool
			if ok, expired = g.validSession(c.Value); ok {
				next.ServeHTTP(w, r)
				return
			}
		}
		w.Header().Set("WWW-Authenticate", `Bearer realm="dealwire"`)
		if g.loginPage == nil || strings.HasPrefix(r.URL.Path, "/api/") || strings.HasPrefix(r.URL.Path, "/alerts/") {
			writeJSON(w, http.StatusUnauthorized, apiError{Error: "this server needs a token: send the header Authorization: Bearer <token> (the server's http.token)"})
			return
		}
		msg := ""
		if expired {
			msg = "Your session has ended: enter the token again."
		}
		g.loginPage(w, r, http.StatusUnauthorized, r.URL.RequestURI(), msg)
	})
}

// matches reports whether given is the token, in constant time.
func (g *gate) matches(given string) bool {
	got := sha256.Sum256([]byte(given))
	return subtle.ConstantTimeCompare(got[:], g.want[:]) == 1
}

// session returns the value of a session cookie that lasts until exp.
func (g *gate) session(exp time.Time) string {
	e := strconv.FormatInt(exp.Unix(), 10)
	return e + "." + base64.RawURLEncoding.EncodeToString(g.mac(e))
}

func (g *gate) mac(exp string) []byte {
	m := hmac.New(sha256.New, []byte(g.token))
	m.Write([]byte(sessionMAC + exp))
	return m.Sum(nil)
}

// validSession reports whether v is a session cookie this token made that
// has not expired; expired is set for one that was valid until now.
func (g *gate) validSession(v string) (ok, expired bool) {
	e, sig, found := strings.Cut(v, ".")
	if !found {
		return false, false
	}
	given, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(given, g.mac(e)) {
		return false, false
	}
	exp, err := strconv.ParseInt(e, 10, 64)
	if err != nil {
		return false, false
	}
	if !g.now().Before(time.Unix(exp, 0)) {
		return false, true
	}
	return true, false
}

// allowed reports whether r carries the token or a valid session.
func (g *gate) allowed(r *http.Request) bool {
	if g.token == "" {
		return true
	}
	if given, ok := bearer(r.Header.Get("Authorization")); ok && g.matches(given) {
		return true
	}
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return false
	}
	ok, _ := g.validSession(c.Value)
	return ok
}

// showLogin answers GET /login: the token form, or straight on to next
// when the browser already has a session.
func (g *gate) showLogin(w http.ResponseWriter, r *http.Request) {
	next := localPath(r.URL.Query().Get("next"))
	if g.allowed(r) {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	g.loginPage(w, r, http.StatusOK, next, "")
}

// login answers POST /login (the form's token and next): with the right
// token, a session cookie and a redirect to next; else the form again.
func (g *gate) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	if err := r.ParseForm(); err != nil {
		g.loginPage(w, r, http.StatusBadRequest, "/", "The form could not be read ("+err.Error()+"): enter the token again.")
		return
	}
	next := localPath(r.PostForm.Get("next"))
	if !g.matches(strings.TrimSpace(r.PostForm.Get("token"))) {
		g.logger.Info("refused a page login with a wrong token", "remote_addr", r.RemoteAddr)
		w.Header().Set("WWW-Authenticate", `Bearer realm="dealwire", error="invalid_token"`)
		g.loginPage(w, r, http.StatusUnauthorized, next, "That is not the server's token (http.token): enter it again.")
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: g.session(g.now().Add(sessionTTL)), Path: "/",
		MaxAge: int(sessionTTL / time.Second), HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: overHTTPS(r),
	})
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// logout answers POST /logout: the browser forgets its session cookie.
// Other browsers' sessions last until they expire or the token changes.
func (g *gate) logout(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: overHTTPS(r)})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// localPath returns next when it is a path on this server, else "/": the
// form's next must not send the reader to another site after login.
func localPath(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, `/\`) {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return "/"
	}
	return u.RequestURI()
}

// overHTTPS reports whether r reached the server, or the proxy in front of
// it, over TLS. Trusting X-Forwarded-Proto is safe here: it only ever makes
// the cookie stricter.
func overHTTPS(r *http.Request) bool {
	return r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

// onLoopback reports whether r was addressed to a loopback host, where a
// token in clear never leaves the machine.
func onLoopback(r *http.Request) bool {
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// bearer returns the token of an Authorization header of the Bearer scheme
// (the scheme name is case-insensitive, RFC 7235).
func bearer(header string) (string, bool) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(header), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}
