package obs_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"

	"github.com/dealwire/dealwire/obs"
)

// TestRunBeside checks that the endpoints answer while the stage runs, that
// the stage's error is returned, and that a taken port fails before the
// stage starts, naming the setting.
func TestRunBeside(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	s, err := obs.New(obs.Config{Addr: addr}, obs.NewRegistry(), nil)
	if err != nil {
		t.Fatal(err)
	}
	stageErr := errors.New("stage done")
	err = s.RunBeside(t.Context(), func(ctx context.Context) error {
		// The listener is open before the stage starts.
		if code, body := get(t, "http://"+addr+"/healthz"); code != 200 || body != "ok\n" {
			t.Errorf("/healthz while the stage runs: %d %q", code, body)
		}
		return stageErr
	})
	if !errors.Is(err, stageErr) {
		t.Errorf("RunBeside returned %v, want the stage's error", err)
	}
	if c, err := net.Dial("tcp", addr); err == nil {
		c.Close()
		t.Error("the server still listens after the stage returned")
	}

	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	s, err = obs.New(obs.Config{Addr: taken.Addr().String()}, obs.NewRegistry(), nil)
	if err != nil {
		t.Fatal(err)
	}
	ran := false
	err = s.RunBeside(t.Context(), func(context.Context) error { ran = true; return nil })
	if err == nil || ran || !strings.Contains(err.Error(), "obs.addr") {
		t.Errorf("taken port: err %v, stage ran %v; want an error naming obs.addr and no stage", err, ran)
	}

	s, err = obs.New(obs.Config{Addr: obs.Off}, obs.NewRegistry(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RunBeside(t.Context(), func(context.Context) error { ran = true; return nil }); err != nil || !ran {
		t.Errorf("addr off: err %v, stage ran %v; want the stage alone", err, ran)
	}
}
