package api

import (
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
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

// openPaths are served without the token: the page's code holds no data
// (everything it shows comes from /api/ with the token), and health
// checks and metric scrapers carry no token.
var openPaths = map[string]bool{"/": true, "/healthz": true, "/metrics": true}

// requireToken wraps next so that, when token is set, every request outside
// openPaths must carry "Authorization: Bearer <token>". Unknown paths need
// the token too, so nothing new is ever served open by mistake.
func requireToken(token string, next http.Handler, logger *slog.Logger) http.Handler {
	if token == "" {
		return next
	}
	// Comparing hashes in constant time hides both the token and its length.
	want := sha256.Sum256([]byte(token))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if openPaths[r.URL.Path] {
			next.ServeHTTP(w, r)
			return
		}
		given, ok := bearer(r.Header.Get("Authorization"))
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="dealwire"`)
			writeJSON(w, http.StatusUnauthorized, apiError{Error: "this server needs a token: send the header Authorization: Bearer <token> (the server's http.token)"})
			return
		}
		got := sha256.Sum256([]byte(given))
		if subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
			logger.Debug("refused a request with a wrong bearer token", "path", r.URL.Path, "remote_addr", r.RemoteAddr)
			w.Header().Set("WWW-Authenticate", `Bearer realm="dealwire", error="invalid_token", error_description="the token is wrong"`)
			writeJSON(w, http.StatusUnauthorized, apiError{Error: "the bearer token is wrong: send the server's http.token"})
			return
		}
		next.ServeHTTP(w, r)
	})
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
