package alerts

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/dealwire/dealwire/news"
)

// smtpRelay is a real SMTP server (go-smtp) that takes mail for anyone,
// after AUTH PLAIN with user/password, and keeps what it got.
type smtpRelay struct {
	addr   string
	caFile string // PEM of the certificate it presents for STARTTLS; "" without TLS

	mu   sync.Mutex // guards mail
	mail []relayed
}

type relayed struct {
	from string
	to   []string
	data []byte
	tls  bool
	user string
}

func startRelay(t *testing.T, withTLS bool) *smtpRelay {
	t.Helper()
	r := &smtpRelay{}
	s := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) { return &relaySession{r: r, c: c}, nil }))
	s.Domain = "127.0.0.1"
	s.ReadTimeout, s.WriteTimeout = 10*time.Second, 10*time.Second
	if withTLS {
		cert, pemFile := selfSigned(t)
		s.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
		r.caFile = pemFile
	} else {
		s.AllowInsecureAuth = true
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r.addr = ln.Addr().String()
	done := make(chan struct{})
	go func() { defer close(done); _ = s.Serve(ln) }()
	t.Cleanup(func() { s.Close(); <-done })
	return r
}

func (r *smtpRelay) got() []relayed {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]relayed(nil), r.mail...)
}

type relaySession struct {
	r    *smtpRelay
	c    *smtp.Conn
	user string
	msg  relayed
}

func (s *relaySession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *relaySession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != "alerts" || pass != "relay-password" {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "invalid credentials"}
		}
		s.user = user
		return nil
	}), nil
}

func (s *relaySession) Mail(from string, _ *smtp.MailOptions) error {
	if s.user == "" {
		return &smtp.SMTPError{Code: 530, Message: "authentication required"}
	}
	s.msg.from = from
	return nil
}

func (s *relaySession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.msg.to = append(s.msg.to, to)
	return nil
}

func (s *relaySession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	_, s.msg.tls = s.c.TLSConnectionState()
	s.msg.data, s.msg.user = b, s.user
	s.r.mu.Lock()
	s.r.mail = append(s.r.mail, s.msg)
	s.r.mu.Unlock()
	return nil
}

func (s *relaySession) Reset()        { s.msg = relayed{} }
func (s *relaySession) Logout() error { return nil }

// selfSigned makes a certificate for 127.0.0.1 and writes it as PEM.
func selfSigned(t *testing.T) (tls.Certificate, string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test relay"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, IsCA: true, BasicConstraintsValid: true,
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "relay.pem")
	if err := os.WriteFile(file, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, file
}

// TestEmailThroughRelay: the alerts stage mails a deal's alert through a
// real SMTP relay, over STARTTLS and with AUTH, once.
func TestEmailThroughRelay(t *testing.T) {
	relay := startRelay(t, true)
	srv, js, bcfg := testBus(t)
	t.Setenv("DEALWIRE_TEST_SMTP_PASSWORD", "relay-password")
	cfg := Config{Rules: []RuleConfig{{Name: "mail", Sinks: []SinkConfig{{
		Type: SinkEmail, SMTPAddr: relay.addr, From: "dealwire <alerts@example.org>", To: []string{"analyst@example.org", "desk@example.org"},
		Username: "alerts", PasswordEnv: "DEALWIRE_TEST_SMTP_PASSWORD", RequireTLS: true, CAFile: relay.caFile,
	}}}}}
	runStage(t, srv, cfg, bcfg)
	publishDeal(t, js, deal("d1", "Acme Ümlaut", 10_000_000, "a1"), 1)
	publishDeal(t, js, deal("d1", "Acme Ümlaut", 10_000_000, "a1"), 2) // the same state again
	waitFor(t, "a mail", func() bool { return len(relay.got()) >= 1 })
	waitIdle(t, js)

	got := relay.got()
	if len(got) != 1 {
		t.Fatalf("relay got %d mails, want 1", len(got))
	}
	m := got[0]
	if !m.tls || m.user != "alerts" || m.from != "alerts@example.org" || strings.Join(m.to, ",") != "analyst@example.org,desk@example.org" {
		t.Errorf("envelope: tls %v, user %q, from %q, to %q", m.tls, m.user, m.from, m.to)
	}
	msg, err := mail.ReadMessage(strings.NewReader(string(m.data)))
	if err != nil {
		t.Fatalf("reading the mail: %v\n%s", err, m.data)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil || subject != "[dealwire] New deal: Acme Ümlaut raised 10M USD (series a)" {
		t.Errorf("subject %q (%v)", subject, err)
	}
	if id := msg.Header.Get("X-Dealwire-Alert-Id"); id != "mail/d1/1" {
		t.Errorf("alert id header %q", id)
	}
	body, err := io.ReadAll(quotedprintable.NewReader(msg.Body))
	if err != nil || !strings.Contains(string(body), "Source: outlet-a1: Acme Ümlaut raises money") {
		t.Errorf("body (%v):\n%s", err, body)
	}
}

// TestEmailRefusals: what retrying cannot fix is permanent.
func TestEmailRefusals(t *testing.T) {
	plain := startRelay(t, false)
	a := newAlert("r", "d1", 1, KindNew, nil, deal("d1", "Acme", 1, "a1"), time.Now())
	tests := []struct {
		name string
		sc   SinkConfig
		want string
	}{
		{"wrong password", SinkConfig{SMTPAddr: plain.addr, Username: "alerts", Password: "wrong"}, "authenticating"},
		{"no STARTTLS but required", SinkConfig{SMTPAddr: plain.addr, RequireTLS: true}, "require_tls"},
		{"no auth: relay answers 530", SinkConfig{SMTPAddr: plain.addr}, "MAIL FROM"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.sc.From, tc.sc.To, tc.sc.Timeout = "alerts@example.org", []string{"a@example.org"}, 10*time.Second
			err := newEmail(tc.sc, time.Now).Send(context.Background(), a)
			if err == nil || !news.IsPermanent(err) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Send = %v, want a permanent error naming %s", err, tc.want)
			}
		})
	}
	if n := len(plain.got()); n != 0 {
		t.Errorf("relay got %d mails, want none", n)
	}
}
