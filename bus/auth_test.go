package bus

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/jwt/v2"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/nats-io/nkeys"
)

// startAuthServer starts an in-process NATS server with JetStream and the
// authentication or TLS settings that configure sets on its options.
func startAuthServer(t *testing.T, configure func(*server.Options)) *server.Server {
	t.Helper()
	opts := &server.Options{
		Host: "127.0.0.1", Port: -1, JetStream: true, StoreDir: t.TempDir(),
		NoLog: true, NoSigs: true,
		TLSTimeout: 30, // seconds; the race detector slows handshakes down
	}
	configure(opts)
	srv, err := server.NewServer(opts)
	if err != nil {
		t.Fatalf("configuring nats server: %v", err)
	}
	srv.Start()
	if !srv.ReadyForConnections(10 * time.Second) {
		srv.Shutdown()
		t.Fatal("starting nats server: not ready for connections after 10s")
	}
	t.Cleanup(func() {
		srv.Shutdown()
		srv.WaitForShutdown()
	})
	return srv
}

// authCase is one attempt to connect: the client settings and either no
// error (then JetStream must work) or the texts the error must hold.
type authCase struct {
	name string
	cfg  Config
	// want are substrings of the error; none means the connection must work.
	want []string
	// secret must not appear in the error.
	secret string
}

// runAuthCases connects with each case's settings to url.
func runAuthCases(t *testing.T, url string, cases []authCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := tc.cfg
			cfg.URL = url
			cfg = cfg.WithDefaults()
			cfg.Embedded.StoreDir = t.TempDir()
			if err := cfg.Validate(); err != nil {
				t.Fatalf("Validate: %v", err)
			}
			nc, js, err := Connect(t.Context(), url, cfg, "auth-test", nil)
			if len(tc.want) > 0 {
				if err == nil {
					nc.Close()
					t.Fatalf("Connect worked, want an error holding %q", tc.want)
				}
				t.Logf("error as a user sees it: %v", err)
				for _, w := range tc.want {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("Connect error\n  %v\nlacks %q", err, w)
					}
				}
				if tc.secret != "" && strings.Contains(err.Error(), tc.secret) {
					t.Errorf("Connect error repeats the secret: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Connect: %v", err)
			}
			t.Cleanup(nc.Close)
			checkJetStream(t, js)
		})
	}
}

// checkJetStream creates a stream, publishes to it and reads the message
// back, so a case passes only when the connection can use JetStream.
func checkJetStream(t *testing.T, js jetstream.JetStream) {
	t.Helper()
	ctx := t.Context()
	s, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: "AUTHCHECK", Subjects: []string{"authcheck.>"}})
	if err != nil {
		t.Fatalf("creating a stream: %v", err)
	}
	ack, err := js.Publish(ctx, "authcheck.one", []byte("hello"))
	if err != nil {
		t.Fatalf("publishing: %v", err)
	}
	msg, err := s.GetMsg(ctx, ack.Sequence)
	if err != nil || string(msg.Data) != "hello" {
		t.Fatalf("reading the message back: %q, %v", msg.Data, err)
	}
}

// writeFile writes data to a new file under dir, readable by its owner only.
func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestConnectUserPassword(t *testing.T) {
	srv := startAuthServer(t, func(o *server.Options) {
		o.Users = []*server.User{{Username: "dealwire", Password: "s3cret-pass"}}
	})
	runAuthCases(t, srv.ClientURL(), []authCase{
		{name: "right", cfg: Config{User: "dealwire", Password: "s3cret-pass"}},
		{name: "wrong password", cfg: Config{User: "dealwire", Password: "wrong-pass"}, secret: "wrong-pass",
			want: []string{"Authorization Violation", "the server refused nats.user and nats.password"}},
		{name: "none", want: []string{"Authorization Violation", "the server requires authentication: set one of"}},
	})
}

func TestConnectToken(t *testing.T) {
	srv := startAuthServer(t, func(o *server.Options) { o.Authorization = "right-token" })
	runAuthCases(t, srv.ClientURL(), []authCase{
		{name: "right", cfg: Config{Token: "right-token"}},
		{name: "wrong", cfg: Config{Token: "wrong-token"}, secret: "wrong-token",
			want: []string{"Authorization Violation", "the server refused nats.token (DEALWIRE_NATS_TOKEN)"}},
		{name: "none", want: []string{"the server requires authentication"}},
	})
}

// newUserSeed returns a new user nkey's public key and a seed file for it.
func newUserSeed(t *testing.T, dir, name string) (pub, file string) {
	t.Helper()
	kp, err := nkeys.CreateUser()
	if err != nil {
		t.Fatal(err)
	}
	pub, err = kp.PublicKey()
	if err != nil {
		t.Fatal(err)
	}
	seed, err := kp.Seed()
	if err != nil {
		t.Fatal(err)
	}
	return pub, writeFile(t, dir, name, seed)
}

func TestConnectNKey(t *testing.T) {
	dir := t.TempDir()
	pub, seedFile := newUserSeed(t, dir, "user.nk")
	_, otherSeedFile := newUserSeed(t, dir, "other.nk")
	srv := startAuthServer(t, func(o *server.Options) { o.Nkeys = []*server.NkeyUser{{Nkey: pub}} })
	runAuthCases(t, srv.ClientURL(), []authCase{
		{name: "right", cfg: Config{NKeyFile: seedFile}},
		{name: "unknown key", cfg: Config{NKeyFile: otherSeedFile},
			want: []string{"Authorization Violation", "the server refused the nkey in nats.nkey_file"}},
		{name: "missing file", cfg: Config{NKeyFile: filepath.Join(dir, "missing.nk")},
			want: []string{"reading nats.nkey_file", "missing.nk", "no such file"}},
		{name: "not a seed", cfg: Config{NKeyFile: writeFile(t, dir, "junk.nk", []byte("hello\n"))},
			want: []string{"reading nats.nkey_file", "want a file holding a user seed"}},
	})
}

// operator is a NATS operator with a system account and one JetStream
// account whose users authenticate with creds files.
type operator struct {
	claims  *jwt.OperatorClaims
	sysPub  string
	account nkeys.KeyPair
	res     *server.MemAccResolver
}

func newOperator(t *testing.T) *operator {
	t.Helper()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	opKP, err := nkeys.CreateOperator()
	must(err)
	opPub, err := opKP.PublicKey()
	must(err)
	sysKP, err := nkeys.CreateAccount()
	must(err)
	sysPub, err := sysKP.PublicKey()
	must(err)
	accKP, err := nkeys.CreateAccount()
	must(err)
	accPub, err := accKP.PublicKey()
	must(err)

	oc := jwt.NewOperatorClaims(opPub)
	oc.SystemAccount = sysPub
	opJWT, err := oc.Encode(opKP)
	must(err)
	claims, err := jwt.DecodeOperatorClaims(opJWT)
	must(err)

	res := &server.MemAccResolver{}
	sysJWT, err := jwt.NewAccountClaims(sysPub).Encode(opKP)
	must(err)
	must(res.Store(sysPub, sysJWT))
	ac := jwt.NewAccountClaims(accPub)
	ac.Limits.JetStreamLimits = jwt.JetStreamLimits{MemoryStorage: -1, DiskStorage: -1, Streams: -1, Consumer: -1}
	accJWT, err := ac.Encode(opKP)
	must(err)
	must(res.Store(accPub, accJWT))
	return &operator{claims: claims, sysPub: sysPub, account: accKP, res: res}
}

func (op *operator) configure(o *server.Options) {
	o.TrustedOperators = []*jwt.OperatorClaims{op.claims}
	o.SystemAccount = op.sysPub
	o.AccountResolver = op.res
}

// userCreds writes a creds file of a new user signed by account, valid
// until expires (forever when zero).
func userCreds(t *testing.T, dir, name string, account nkeys.KeyPair, expires time.Time) string {
	t.Helper()
	ukp, err := nkeys.CreateUser()
	if err != nil {
		t.Fatal(err)
	}
	upub, err := ukp.PublicKey()
	if err != nil {
		t.Fatal(err)
	}
	useed, err := ukp.Seed()
	if err != nil {
		t.Fatal(err)
	}
	uc := jwt.NewUserClaims(upub)
	if !expires.IsZero() {
		uc.Expires = expires.Unix()
	}
	ujwt, err := uc.Encode(account)
	if err != nil {
		t.Fatal(err)
	}
	creds, err := jwt.FormatUserConfig(ujwt, useed)
	if err != nil {
		t.Fatal(err)
	}
	return writeFile(t, dir, name, creds)
}

func TestConnectCredsFile(t *testing.T) {
	dir := t.TempDir()
	op := newOperator(t)
	stranger, err := nkeys.CreateAccount() // an account the operator never signed
	if err != nil {
		t.Fatal(err)
	}
	srv := startAuthServer(t, op.configure)
	runAuthCases(t, srv.ClientURL(), []authCase{
		{name: "right", cfg: Config{CredsFile: userCreds(t, dir, "user.creds", op.account, time.Time{})}},
		{name: "unknown account", cfg: Config{CredsFile: userCreds(t, dir, "stranger.creds", stranger, time.Time{})},
			want: []string{"Authorization Violation", "the server refused the user in nats.creds_file"}},
		{name: "missing file", cfg: Config{CredsFile: filepath.Join(dir, "missing.creds")},
			want: []string{"reading nats.creds_file", "missing.creds", "no such file"}},
		{name: "expired", cfg: Config{CredsFile: userCreds(t, dir, "expired.creds", op.account, time.Unix(1_000_000_000, 0))},
			want: []string{"reading nats.creds_file", "the user JWT expired at 2001-09-09T01:46:40Z"}},
		{name: "seed only", cfg: Config{CredsFile: writeFile(t, dir, "seed.creds", []byte("SUAIB...\n"))},
			want: []string{"reading nats.creds_file", "no user JWT"}},
		{name: "none", want: []string{"the server requires authentication"}},
	})
}

// pki is a test certificate authority with a server certificate for
// 127.0.0.1 and a client certificate, written as PEM files to dir.
type pki struct {
	caFile, certFile, keyFile string // the CA; the client's certificate and key
	server                    tls.Certificate
	pool                      *x509.CertPool
}

func newPKI(t *testing.T, dir, name string) *pki {
	t.Helper()
	caKey, caCert, caDER := newCert(t, nil, nil, &x509.Certificate{
		Subject: pkix.Name{CommonName: name + " test CA"}, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	})
	srvKey, _, srvDER := newCert(t, caCert, caKey, &x509.Certificate{
		Subject: pkix.Name{CommonName: "127.0.0.1"}, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		DNSNames: []string{"localhost"}, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		KeyUsage: x509.KeyUsageDigitalSignature,
	})
	cliKey, _, cliDER := newCert(t, caCert, caKey, &x509.Certificate{
		Subject: pkix.Name{CommonName: "dealwire client"}, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
		KeyUsage: x509.KeyUsageDigitalSignature,
	})
	p := &pki{
		caFile:   writeFile(t, dir, name+"-ca.pem", pemBlock("CERTIFICATE", caDER)),
		certFile: writeFile(t, dir, name+"-client.pem", pemBlock("CERTIFICATE", cliDER)),
		keyFile:  writeFile(t, dir, name+"-client-key.pem", pemKey(t, cliKey)),
		server:   tls.Certificate{Certificate: [][]byte{srvDER}, PrivateKey: srvKey},
		pool:     x509.NewCertPool(),
	}
	p.pool.AddCert(caCert)
	return p
}

// newCert makes a key and a certificate from tmpl, signed by parent (self-signed when nil).
func newCert(t *testing.T, parent *x509.Certificate, parentKey *ecdsa.PrivateKey, tmpl *x509.Certificate) (*ecdsa.PrivateKey, *x509.Certificate, []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	serial, err := rand.Int(rand.Reader, big.NewInt(1<<62))
	if err != nil {
		t.Fatal(err)
	}
	tmpl.SerialNumber = serial
	tmpl.NotBefore = time.Now().Add(-time.Hour)
	tmpl.NotAfter = time.Now().Add(24 * time.Hour)
	if parent == nil {
		parent, parentKey = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, parentKey)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return key, cert, der
}

func pemBlock(typ string, der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
}

func pemKey(t *testing.T, key *ecdsa.PrivateKey) []byte {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pemBlock("PRIVATE KEY", der)
}

// serverTLS returns the server side of p; with verifyClients the server
// requires a client certificate signed by p's CA.
func (p *pki) serverTLS(verifyClients bool) func(*server.Options) {
	return func(o *server.Options) {
		tc := &tls.Config{Certificates: []tls.Certificate{p.server}, MinVersion: tls.VersionTLS12}
		if verifyClients {
			tc.ClientAuth = tls.RequireAndVerifyClientCert
			tc.ClientCAs = p.pool
			o.TLSVerify = true
		}
		o.TLSConfig = tc
	}
}

func TestConnectTLS(t *testing.T) {
	dir := t.TempDir()
	ca := newPKI(t, dir, "right")
	other := newPKI(t, dir, "other")
	srv := startAuthServer(t, ca.serverTLS(false))
	// A nats:// URL: the client must find out from the server that TLS is required.
	plainURL := "nats://" + strings.TrimPrefix(srv.ClientURL(), "tls://")
	runAuthCases(t, plainURL, []authCase{
		{name: "ca file", cfg: Config{TLS: TLSConfig{CAFile: ca.caFile}}},
		{name: "ca file and token", cfg: Config{TLS: TLSConfig{CAFile: ca.caFile}, Token: "unused-here"}},
		{name: "no tls configured", want: []string{
			"certificate signed by unknown authority",
			"the server requires TLS and its certificate is not signed by a CA this machine trusts: set nats.tls.ca_file",
		}},
		{name: "wrong ca", cfg: Config{TLS: TLSConfig{CAFile: other.caFile}},
			want: []string{"certificate signed by unknown authority", "not signed by a CA in nats.tls.ca_file"}},
		{name: "ca file without a certificate", cfg: Config{TLS: TLSConfig{CAFile: writeFile(t, dir, "empty.pem", []byte("nothing\n"))}},
			want: []string{"reading nats.tls.ca_file", "empty.pem: no PEM certificate in it"}},
	})
	t.Run("tls url", func(t *testing.T) {
		runAuthCases(t, srv.ClientURL(), []authCase{
			{name: "ca file", cfg: Config{TLS: TLSConfig{CAFile: ca.caFile}}},
			{name: "no tls configured", want: []string{"set nats.tls.ca_file (DEALWIRE_NATS_TLS_CA)"}},
		})
	})
	t.Run("server without tls", func(t *testing.T) {
		plain := startAuthServer(t, func(*server.Options) {})
		runAuthCases(t, plain.ClientURL(), []authCase{
			{name: "ca file", cfg: Config{TLS: TLSConfig{CAFile: ca.caFile}},
				want: []string{"secure connection not available", "nats.tls is set but the server offers no TLS"}},
		})
	})
}

func TestConnectMutualTLS(t *testing.T) {
	dir := t.TempDir()
	ca := newPKI(t, dir, "right")
	other := newPKI(t, dir, "other")
	srv := startAuthServer(t, ca.serverTLS(true))
	runAuthCases(t, srv.ClientURL(), []authCase{
		{name: "client certificate", cfg: Config{TLS: TLSConfig{CAFile: ca.caFile, CertFile: ca.certFile, KeyFile: ca.keyFile}}},
		{name: "no client certificate", cfg: Config{TLS: TLSConfig{CAFile: ca.caFile}},
			// Over TLS 1.3 the refusal arrives as an alert or, depending on
			// timing, as a connection closed after the handshake; both
			// hints name the settings.
			want: []string{"client certificate (mutual TLS): set nats.tls.cert_file and nats.tls.key_file"}},
		{name: "certificate of another CA", cfg: Config{TLS: TLSConfig{CAFile: ca.caFile, CertFile: other.certFile, KeyFile: other.keyFile}},
			want: []string{"refused the client certificate in nats.tls.cert_file"}},
		{name: "key of another certificate", cfg: Config{TLS: TLSConfig{CAFile: ca.caFile, CertFile: ca.certFile, KeyFile: other.keyFile}},
			want: []string{"loading nats.tls.cert_file", "private key does not match public key"}},
	})
}

func TestValidateAuth(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want string // substring of the error; empty: valid
	}{
		{"token", Config{URL: "nats://x", Token: "t"}, ""},
		{"user and password", Config{URL: "nats://x", User: "u", Password: "p"}, ""},
		{"nkey and mutual tls", Config{URL: "nats://x", NKeyFile: "u.nk", TLS: TLSConfig{CAFile: "ca.pem", CertFile: "c.pem", KeyFile: "k.pem"}}, ""},
		{"token and user", Config{URL: "nats://x", Token: "t", User: "u", Password: "p"},
			"nats.token and nats.user/nats.password are all set: use one way to authenticate"},
		{"creds and nkey", Config{URL: "nats://x", CredsFile: "u.creds", NKeyFile: "u.nk"},
			"nats.creds_file and nats.nkey_file are all set"},
		{"user without password", Config{URL: "nats://x", User: "u"}, "nats.user is set without nats.password"},
		{"password without user", Config{URL: "nats://x", Password: "p"}, "nats.password is set without nats.user"},
		{"cert without key", Config{URL: "nats://x", TLS: TLSConfig{CertFile: "c.pem"}}, "nats.tls.cert_file and nats.tls.key_file go together"},
		{"key without cert", Config{URL: "nats://x", TLS: TLSConfig{KeyFile: "k.pem"}}, "nats.tls.cert_file and nats.tls.key_file go together"},
		{"token for the embedded server", Config{Token: "t"}, "the embedded server takes neither; set nats.url"},
		{"tls for the embedded server", Config{TLS: TLSConfig{CAFile: "ca.pem"}}, "the embedded server takes neither"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := tt.cfg.WithDefaults()
			cfg.Embedded.StoreDir = "unused"
			err := cfg.Validate()
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("Validate: %v, want no error", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("Validate: %v, want an error holding %q", err, tt.want)
			}
		})
	}
}

// TestConnectRefusedNamesNoSecret checks that a connection refused for a
// reason other than credentials keeps the old advice.
func TestConnectRefusedNamesNoSecret(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "nats://" + ln.Addr().String()
	ln.Close() // nothing listens there now
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	cfg := Config{URL: url, Token: "tok-secret"}.WithDefaults()
	_, _, err = Connect(ctx, url, cfg, "auth-test", nil)
	if err == nil || !strings.Contains(err.Error(), "check nats.url and that the server is up") || strings.Contains(err.Error(), "tok-secret") {
		t.Fatalf("Connect to a closed port: %v, want the advice to check nats.url and no token", err)
	}
}

func TestRedactURLs(t *testing.T) {
	tests := []struct{ in, want string }{
		{"nats://127.0.0.1:4222", "nats://127.0.0.1:4222"},
		{"nats://user:pw@a:4222, tls://tok@b:4222", "nats://redacted@a:4222,tls://redacted@b:4222"},
		{"127.0.0.1:4222", "127.0.0.1:4222"},
		{"nats://us%zzer:pw@a", "(a url that does not parse)"},
	}
	for _, tt := range tests {
		if got := redactURLs(tt.in); got != tt.want {
			t.Errorf("redactURLs(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
