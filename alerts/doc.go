// Package alerts tells people about new deals as they are resolved: rules
// (a text query plus conditions on amount, valuation, investors, lead,
// round, company, source, power capacity and confidence) are evaluated on
// every deal record of the DEALS stream, and each match is delivered to the
// rule's sinks: a signed JSON webhook (or a Slack-compatible one), email
// through an SMTP relay, a NATS subject, an Atom feed per rule, the log.
//
// In: [news.DealRecord]s on DEALS (durable consumer "alerts"), each read
// back through the resolver's current state. Out: one message per alert and
// sink on the ALERTS stream (dealwire.alertsend.<rule>.<sink>), consumed by
// the durable "alerts_send", which delivers it. Both are [bus.Consumer]s:
// handlers return errors and bus settles them; the DEALS message is acked
// once the deliveries are on ALERTS (PubAck), a delivery once its sink took
// it.
//
// One alert per rule and deal: the state bucket (dealwire_alerts) holds,
// per rule and deal, the facts last told and the alert version, written
// with compare-and-set (create for a new deal, update with the revision
// read for a change), so any number of replicas, restarts and redeliveries
// decide each alert once. A change of the facts (a new source, amount,
// valuation, round, company, investors, capacity) is an "update" alert with
// the next version and a list of what changed; a change of anything else
// (confidence, wording of the evidence, a withdrawn source) sends nothing.
// When the resolver gives a deal a new id, its sources lead to the old
// thread, which goes on.
//
// Delivery per sink: each sink has its own message, so one failing sink
// never holds up or repeats another. A sink records each delivered version
// (sent.<rule>.<thread>.<sink>), so a redelivered message is not sent twice;
// only a crash between a sink's acceptance and that record repeats one, and
// receivers can drop the repeat by its id (header Dealwire-Alert-Id). A
// retryable failure (network, 5xx, 429, SMTP 4xx) is retried with backoff;
// after the sink's max_deliveries, or at once for a refusal (other 4xx, SMTP
// 5xx), the delivery goes to dealwire.dead.alerts_send with its reason
// ("dealwire dead replay --stage alerts_send" sends it again).
package alerts
