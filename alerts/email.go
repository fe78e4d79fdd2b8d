package alerts

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"os"
	"strings"
	"time"

	"github.com/dealwire/dealwire/news"
)

// email sends alerts through an SMTP relay: STARTTLS when the relay offers
// it (required with RequireTLS), AUTH PLAIN when a username is set (net/smtp
// sends it only over TLS or to localhost).
type email struct {
	addr, host         string
	from               string   // envelope sender: the bare address
	to                 []string // envelope recipients: bare addresses
	fromHdr, toHdr     string   // the header lines, names included
	username, password string
	requireTLS         bool
	caFile             string
	timeout            time.Duration
	now                func() time.Time
}

func newEmail(sc SinkConfig, now func() time.Time) *email {
	host, _, _ := net.SplitHostPort(sc.SMTPAddr)
	e := &email{
		addr: sc.SMTPAddr, host: host, from: sc.From, fromHdr: sc.From, username: sc.Username, password: sc.password(),
		requireTLS: sc.RequireTLS, caFile: sc.CAFile, timeout: sc.Timeout, now: now,
	}
	// Validate has parsed every address; "Name <a@b>" keeps its name in the
	// headers, the envelope takes the bare address.
	if a, err := mail.ParseAddress(sc.From); err == nil {
		e.from, e.fromHdr = a.Address, a.String()
	}
	var hdr []string
	for _, raw := range sc.To {
		if a, err := mail.ParseAddress(raw); err == nil {
			e.to = append(e.to, a.Address)
			hdr = append(hdr, a.String())
		} else {
			e.to = append(e.to, raw)
			hdr = append(hdr, raw)
		}
	}
	e.toHdr = strings.Join(hdr, ", ")
	return e
}

func (e *email) Send(ctx context.Context, a Alert) error {
	ctx, cancel := context.WithTimeout(ctx, e.timeout)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", e.addr)
	if err != nil {
		return fmt.Errorf("connecting to smtp relay %s: %w", e.addr, err)
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl) // a relay that stalls fails the attempt instead of holding the worker
	}
	c, err := smtp.NewClient(conn, e.host)
	if err != nil {
		return e.fail("greeting", err)
	}
	defer c.Close()
	if ok, _ := c.Extension("STARTTLS"); ok {
		tc := &tls.Config{ServerName: e.host, MinVersion: tls.VersionTLS12}
		if e.caFile != "" {
			pem, err := os.ReadFile(e.caFile)
			if err != nil {
				return news.Permanent(fmt.Errorf("reading ca_file of smtp relay %s: %w", e.addr, err))
			}
			tc.RootCAs = x509.NewCertPool()
			if !tc.RootCAs.AppendCertsFromPEM(pem) {
				return news.Permanent(fmt.Errorf("ca_file %s of smtp relay %s holds no PEM certificate", e.caFile, e.addr))
			}
		}
		if err := c.StartTLS(tc); err != nil {
			return e.fail("starting TLS (set ca_file to the CA that signs the relay's certificate)", err)
		}
	} else if e.requireTLS {
		return news.Permanent(fmt.Errorf("smtp relay %s does not offer STARTTLS and the sink has require_tls", e.addr))
	}
	if e.username != "" {
		if ok, _ := c.Extension("AUTH"); !ok {
			return news.Permanent(fmt.Errorf("smtp relay %s offers no AUTH, but the sink has a username", e.addr))
		}
		if err := c.Auth(smtp.PlainAuth("", e.username, e.password, e.host)); err != nil {
			return e.fail("authenticating (check username and password_env)", err)
		}
	}
	if err := c.Mail(e.from); err != nil {
		return e.fail("MAIL FROM", err)
	}
	for _, to := range e.to {
		if err := c.Rcpt(to); err != nil {
			return e.fail("RCPT TO "+to, err)
		}
	}
	w, err := c.Data()
	if err != nil {
		return e.fail("DATA", err)
	}
	if _, err := w.Write(e.message(a)); err != nil {
		return e.fail("writing the message", err)
	}
	if err := w.Close(); err != nil {
		return e.fail("ending the message", err)
	}
	_ = c.Quit() // the relay took the message when it accepted DATA; a failed QUIT loses nothing
	return nil
}

// fail wraps err; a 5xx answer of the relay is permanent.
func (e *email) fail(step string, err error) error {
	err = fmt.Errorf("smtp relay %s, %s: %w", e.addr, step, err)
	var te *textproto.Error
	if errors.As(err, &te) && te.Code >= 500 {
		return news.Permanent(err)
	}
	return err
}

// message is the RFC 5322 message of a: plain text, quoted-printable UTF-8.
func (e *email) message(a Alert) []byte {
	var b bytes.Buffer
	h := func(k, v string) { b.WriteString(k + ": " + v + "\r\n") }
	h("From", e.fromHdr)
	h("To", e.toHdr)
	h("Subject", mime.QEncoding.Encode("utf-8", "[dealwire] "+a.Title()))
	h("Date", e.now().Format(time.RFC1123Z))
	sum := sha256.Sum256([]byte(a.ID))
	domain := "dealwire.invalid"
	if _, d, ok := strings.Cut(e.from, "@"); ok {
		domain = d
	}
	h("Message-ID", "<"+hex.EncodeToString(sum[:12])+"@"+domain+">")
	h("MIME-Version", "1.0")
	h("Content-Type", "text/plain; charset=utf-8")
	h("Content-Transfer-Encoding", "quoted-printable")
	h("X-Dealwire-Alert-Id", a.ID)
	h("X-Dealwire-Alert-Kind", a.Kind)
	b.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&b)
	_, _ = qp.Write([]byte(strings.ReplaceAll(a.Text(), "\n", "\r\n"))) // writes to a buffer cannot fail
	_ = qp.Close()
	return b.Bytes()
}
