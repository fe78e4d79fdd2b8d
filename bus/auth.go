package bus

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/nats-io/jwt/v2"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nkeys"
)

// TLSConfig secures the connection to an external NATS server.
//
// A server that requires TLS is always spoken to over TLS, with the
// system's trusted CAs unless CAFile is set; so is a tls:// URL. Setting
// CAFile (or a client certificate) makes TLS mandatory: a server without
// TLS is refused.
type TLSConfig struct {
	// CAFile is a PEM file of the CA certificates that sign the server's
	// certificate, for servers with a private CA. Empty: the system's CAs.
	CAFile string `yaml:"ca_file"`
	// CertFile and KeyFile are a PEM client certificate and its private
	// key, for servers that verify clients (mutual TLS). Set both or neither.
	CertFile string `yaml:"cert_file"`
	KeyFile  string `yaml:"key_file"`
}

func (t TLSConfig) enabled() bool { return t.CAFile != "" || t.CertFile != "" || t.KeyFile != "" }

// authMethods lists the ways of authenticating that c sets, by field name.
func (c Config) authMethods() []string {
	var m []string
	if c.CredsFile != "" {
		m = append(m, "nats.creds_file")
	}
	if c.NKeyFile != "" {
		m = append(m, "nats.nkey_file")
	}
	if c.Token != "" {
		m = append(m, "nats.token")
	}
	if c.User != "" || c.Password != "" {
		m = append(m, "nats.user/nats.password")
	}
	return m
}

// validateAuth reports credentials and TLS settings that cannot work
// together, before anything connects.
func (c Config) validateAuth() []error {
	var errs []error
	methods := c.authMethods()
	if len(methods) > 1 {
		errs = append(errs, fmt.Errorf("%s are all set: use one way to authenticate to nats", strings.Join(methods, " and ")))
	}
	if c.User != "" && c.Password == "" {
		errs = append(errs, errors.New("nats.user is set without nats.password: set both (DEALWIRE_NATS_USER, DEALWIRE_NATS_PASSWORD)"))
	}
	if c.User == "" && c.Password != "" {
		errs = append(errs, errors.New("nats.password is set without nats.user: set both (DEALWIRE_NATS_USER, DEALWIRE_NATS_PASSWORD)"))
	}
	if (c.TLS.CertFile == "") != (c.TLS.KeyFile == "") {
		errs = append(errs, errors.New("nats.tls.cert_file and nats.tls.key_file go together: set both for a client certificate, or neither"))
	}
	if c.URL == "" && (len(methods) > 0 || c.TLS.enabled()) {
		// The embedded server takes neither; ignoring them would make a
		// user believe the bus is secured when it is not.
		errs = append(errs, errors.New("nats credentials or nats.tls are set but nats.url is empty: the embedded server takes neither; set nats.url to the server they are for, or remove them"))
	}
	return errs
}

// connectOptions turns the credentials and TLS settings of c into NATS
// options. It reads every file now, so that a missing or malformed file is
// reported by its setting instead of as a failed connection.
func (c Config) connectOptions() ([]nats.Option, error) {
	var opts []nats.Option
	switch {
	case c.CredsFile != "":
		if err := checkCredsFile(c.CredsFile); err != nil {
			return nil, fmt.Errorf("reading nats.creds_file %s: %w", c.CredsFile, err)
		}
		opts = append(opts, nats.UserCredentials(c.CredsFile))
	case c.NKeyFile != "":
		opt, err := nats.NkeyOptionFromSeed(c.NKeyFile)
		if err != nil {
			return nil, fmt.Errorf("reading nats.nkey_file %s: %w (want a file holding a user seed, SU...)", c.NKeyFile, err)
		}
		opts = append(opts, opt)
	case c.Token != "":
		opts = append(opts, nats.Token(c.Token))
	case c.User != "":
		opts = append(opts, nats.UserInfo(c.User, c.Password))
	}
	if c.TLS.enabled() {
		tc, err := c.TLS.config()
		if err != nil {
			return nil, err
		}
		opts = append(opts, nats.Secure(tc))
	}
	return opts, nil
}

// checkCredsFile reads a creds file the way the client will and checks
// that it holds a user JWT and a user seed.
func checkCredsFile(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	defer clear(data)
	token, err := nkeys.ParseDecoratedJWT(data)
	if err != nil {
		return fmt.Errorf("no user JWT: %w", err)
	}
	claims, err := jwt.DecodeUserClaims(token)
	if err != nil {
		return fmt.Errorf("no user JWT: %w (want the file nsc or the account operator generated)", err)
	}
	if claims.Expires != 0 && time.Unix(claims.Expires, 0).Before(time.Now()) {
		return fmt.Errorf("the user JWT expired at %s: ask the account operator for a new creds file", time.Unix(claims.Expires, 0).UTC().Format(time.RFC3339))
	}
	kp, err := nkeys.ParseDecoratedNKey(data)
	if err != nil {
		return fmt.Errorf("no user seed: %w (want the file nsc or the account operator generated)", err)
	}
	kp.Wipe()
	return nil
}

// config builds the client's TLS configuration.
func (t TLSConfig) config() (*tls.Config, error) {
	tc := &tls.Config{MinVersion: tls.VersionTLS12}
	if t.CAFile != "" {
		pem, err := os.ReadFile(t.CAFile)
		if err != nil {
			return nil, fmt.Errorf("reading nats.tls.ca_file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("reading nats.tls.ca_file %s: no PEM certificate in it", t.CAFile)
		}
		tc.RootCAs = pool
	}
	if t.CertFile != "" {
		cert, err := tls.LoadX509KeyPair(t.CertFile, t.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("loading nats.tls.cert_file %s and nats.tls.key_file %s: %w", t.CertFile, t.KeyFile, err)
		}
		tc.Certificates = []tls.Certificate{cert}
	}
	return tc, nil
}

// connectHint says what to do about a failed connection: which setting
// the server refused, or what TLS needs. It never repeats a secret.
func (c Config) connectHint(err error) string {
	var (
		unknownCA x509.UnknownAuthorityError
		hostErr   x509.HostnameError
		invalid   x509.CertificateInvalidError
	)
	switch {
	case errors.Is(err, nats.ErrAuthorization), errors.Is(err, nats.ErrAuthExpired), errors.Is(err, nats.ErrAuthRevoked),
		errors.Is(err, nats.ErrNkeysNotSupported):
		return c.authHint()
	case errors.Is(err, nats.ErrSecureConnWanted):
		return "nats.tls is set but the server offers no TLS: enable TLS on the server, or remove nats.tls"
	case errors.As(err, &unknownCA):
		if c.TLS.CAFile != "" {
			return "the server's certificate is not signed by a CA in nats.tls.ca_file: point it (DEALWIRE_NATS_TLS_CA) at the CA that signed the server's certificate"
		}
		return "the server requires TLS and its certificate is not signed by a CA this machine trusts: set nats.tls.ca_file (DEALWIRE_NATS_TLS_CA) to the CA that signed it"
	case errors.As(err, &hostErr):
		return "the server's certificate does not name the host in nats.url: connect by a name or address the certificate holds"
	case errors.As(err, &invalid):
		return "the server's certificate is not valid (expired, not yet valid or not for servers): renew it on the server"
	case isClientCertRefused(err):
		if c.TLS.CertFile == "" {
			return "the server requires a client certificate (mutual TLS): set nats.tls.cert_file and nats.tls.key_file (DEALWIRE_NATS_TLS_CERT, DEALWIRE_NATS_TLS_KEY)"
		}
		return "the server refused the client certificate in nats.tls.cert_file: check that it is signed by a CA the server trusts and has not expired"
	case isClosedAfterHandshake(err):
		if c.TLS.CertFile == "" {
			return "the server closed the connection after the TLS handshake, which usually means it requires a client certificate (mutual TLS): set nats.tls.cert_file and nats.tls.key_file (DEALWIRE_NATS_TLS_CERT, DEALWIRE_NATS_TLS_KEY)"
		}
		return "the server closed the connection after the TLS handshake, which usually means it refused the client certificate in nats.tls.cert_file: check that it is signed by a CA the server trusts and has not expired"
	case errors.Is(err, nats.ErrTLS):
		return "the TLS handshake failed: check nats.tls and the server's TLS settings"
	}
	return "check nats.url and that the server is up"
}

// authHint names the credential the server refused.
func (c Config) authHint() string {
	switch {
	case c.CredsFile != "":
		return "the server refused the user in nats.creds_file: check that its account is known to the server's operator and that the JWT has not expired or been revoked"
	case c.NKeyFile != "":
		return "the server refused the nkey in nats.nkey_file: add its public key to the server's authorization nkeys, or check that the file holds the right seed"
	case c.Token != "":
		return "the server refused nats.token (DEALWIRE_NATS_TOKEN): check that it matches the server's authorization token"
	case c.User != "":
		return "the server refused nats.user and nats.password (DEALWIRE_NATS_USER, DEALWIRE_NATS_PASSWORD): check both"
	}
	return "the server requires authentication: set one of nats.creds_file, nats.nkey_file, nats.token, or nats.user and nats.password (DEALWIRE_NATS_CREDS, DEALWIRE_NATS_NKEY, DEALWIRE_NATS_TOKEN, DEALWIRE_NATS_USER and DEALWIRE_NATS_PASSWORD)"
}

// isClientCertRefused reports a TLS alert by which the server refuses a
// missing or unacceptable client certificate. crypto/tls exposes a remote
// alert only as text.
func isClientCertRefused(err error) bool {
	s := err.Error()
	return strings.Contains(s, "remote error: tls: certificate required") || strings.Contains(s, "remote error: tls: bad certificate") ||
		strings.Contains(s, "remote error: tls: unknown certificate authority")
}

// isClosedAfterHandshake reports the error nats.go gives when the server
// hangs up right after a TLS 1.3 handshake: a server checks the client's
// certificate after the client considers the handshake done, so a refusal
// often arrives as a closed connection rather than as an alert. The client
// marks it only in its text.
func isClosedAfterHandshake(err error) bool {
	return errors.Is(err, nats.ErrTLS) && strings.Contains(err.Error(), "connection closed by remote after TLS handshake")
}

// redactURLs returns the comma-separated server URLs in urls with any user
// information (a user and password, or a token, in nats://token@host)
// replaced, for errors and logs.
func redactURLs(urls string) string {
	parts := strings.Split(urls, ",")
	for i, p := range parts {
		u, err := url.Parse(strings.TrimSpace(p))
		if err != nil {
			if strings.Contains(p, "@") {
				parts[i] = "(a url that does not parse)"
			}
			continue
		}
		if u.User == nil {
			continue
		}
		u.User = url.User("redacted")
		parts[i] = u.String()
	}
	return strings.Join(parts, ",")
}
