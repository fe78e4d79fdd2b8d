package elastic

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/index/indextest"
)

// errNoAPIKeys says why a node cannot issue API keys.
var errNoAPIKeys = errors.New("this node cannot create API keys")

// createAPIKey asks the node at url for an API key with the basic-auth user
// and returns it in the encoded form that Config.APIKey takes, and a func
// that invalidates it. The integ-test distribution of scripts/elasticsearch
// answers errNoAPIKeys: it stores keys in the .security index, whose mapping
// needs the pattern_capture filter of the analysis-common module, which that
// distribution does not carry.
func createAPIKey(ctx context.Context, url, user, password string) (string, func(), error) {
	name := fmt.Sprintf("dealwire-test-%d", time.Now().UnixNano())
	do := func(method, path, body string) (int, []byte, error) {
		req, err := http.NewRequestWithContext(ctx, method, url+path, strings.NewReader(body))
		if err != nil {
			return 0, nil, err
		}
		req.SetBasicAuth(user, password)
		req.Header.Set("Content-Type", "application/json")
		resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
		if err != nil {
			return 0, nil, err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return resp.StatusCode, b, err
	}
	status, body, err := do(http.MethodPost, "/_security/api_key", `{"name":"`+name+`","expiration":"1h"}`)
	if err != nil {
		return "", nil, fmt.Errorf("creating an api key: %w", err)
	}
	if status != http.StatusOK {
		if bytes.Contains(body, []byte("pattern_capture")) {
			return "", nil, fmt.Errorf("%w: %s", errNoAPIKeys, body)
		}
		return "", nil, fmt.Errorf("creating an api key: status %d: %s", status, body)
	}
	var key struct {
		Encoded string `json:"encoded"`
	}
	if err := json.Unmarshal(body, &key); err != nil || key.Encoded == "" {
		return "", nil, fmt.Errorf("creating an api key: no encoded key in %d bytes of answer (%v)", len(body), err)
	}
	invalidate := func() {
		_, _, _ = do(http.MethodDelete, "/_security/api_key", `{"name":"`+name+`"}`) // the key expires in 1h anyway
	}
	return key.Encoded, invalidate, nil
}

func TestAPIKey(t *testing.T) {
	url, user, password := secureNode(t)
	name := fmt.Sprintf("apikey-%d", time.Now().UnixNano())

	t.Run("unknown key", func(t *testing.T) {
		key := base64.StdEncoding.EncodeToString([]byte("nosuchkeyid0123456:nosuchkeysecret0123456"))
		_, err := New(t.Context(), Config{URLs: []string{url}, Index: name, APIKey: key}, nil, nil)
		var se *StatusError
		if !errors.As(err, &se) || se.Status != http.StatusUnauthorized || !strings.Contains(err.Error(), "rejected the credentials (401)") {
			t.Fatalf("New with an unknown API key: error %v, want a 401 saying the credentials were rejected", err)
		}
	})

	t.Run("right key", func(t *testing.T) {
		key, invalidate, err := createAPIKey(t.Context(), url, user, password)
		if errors.Is(err, errNoAPIKeys) {
			// Known limit of the integ-test distribution (see createAPIKey and the README).
			t.Skipf("%v", err)
		}
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(invalidate)
		s, err := New(t.Context(), Config{URLs: []string{url}, Index: name, APIKey: key}, nil, nil)
		if err != nil {
			t.Fatalf("New with a fresh API key: %v", err)
		}
		t.Cleanup(func() {
			if err := s.Delete(context.Background()); err != nil { // t.Context is done by cleanup time
				t.Errorf("deleting test index: %v", err)
			}
			s.Close()
		})
		for i, err := range s.Index(t.Context(), indextest.Records()[:2]) {
			if err != nil {
				t.Fatalf("indexing record %d with an API key: %v", i, err)
			}
		}
		if err := s.Refresh(t.Context()); err != nil {
			t.Fatal(err)
		}
		if res, err := s.Search(t.Context(), index.Query{}); err != nil || res.Total != 2 {
			t.Fatalf("search with an API key: %d hits, %v", res.Total, err)
		}
	})
}
