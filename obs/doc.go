// Package obs is what every dealwire process shows its operators: a
// Prometheus registry with the Go and process collectors ([NewRegistry]),
// the metric families the stages share ([NewStageMetrics],
// [NewExtractMetrics], [NewBulkMetrics]), and an HTTP [Server] answering
//
//	GET /metrics  the registry, in the Prometheus text or protobuf format
//	GET /healthz  200 "ok" while the process runs (liveness)
//	GET /readyz   200 when every registered readiness check passes, else 503;
//	              the body lists each check as "[+]name ok" or
//	              "[-]name failed: reason"
//
// In comes a registry the stages register on, and readiness checks the
// caller adds with [Server.AddCheck] (the NATS connection answers, the
// store answers a ping); out go the three endpoints. Checks run on each
// /readyz request, concurrently, each bounded by its timeout, so a hung
// dependency turns the answer into 503 instead of hanging the probe.
//
// fetch, extract --stage and index have no HTTP server of their own: they
// call [Server.Run] on [Config.Addr] (default 127.0.0.1:9464). serve and run
// already listen for the search API; they mount the same handlers on it
// instead of opening a second port, in front of the API handler so the
// API's bearer-token check does not cover them:
//
//	root := http.NewServeMux()
//	o.Mount(root)                                 // GET /metrics, /healthz, /readyz
//	root.Handle("/", api.NewHandler(cfg, store, logger, nil))
//
// The patterns Mount registers are more specific than "/", so they win;
// the API's own /healthz and /metrics (a nil gatherer leaves /metrics out)
// are then never reached.
//
// Metric names are constant and valid Prometheus names; what varies (the
// stage, the backend) is a label, so a stage called "index-deals" is
// dealwire_stage_messages_total{stage="index-deals"}, not a new name.
package obs
