package ingest

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
)

// trackingParams are query parameters that identify a click, a campaign or a
// share, never the page: they are dropped from canonical URLs.
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "dclid": true, "gbraid": true, "wbraid": true,
	"msclkid": true, "yclid": true, "twclid": true, "ttclid": true, "li_fat_id": true,
	"mc_cid": true, "mc_eid": true, "_ga": true, "_gl": true, "igshid": true,
	"mkt_tok": true, "oly_enc_id": true, "oly_anon_id": true, "vero_id": true,
	"vero_conv": true, "_hsenc": true, "_hsmi": true, "hsctatracking": true,
	"__s": true, "ref_src": true, "ref_url": true, "s_cid": true, "cmpid": true,
	"ncid": true, "sr_share": true, "guccounter": true, "guce_referrer": true,
	"guce_referrer_sig": true, "ocid": true, "icid": true, "smid": true,
	"soc_src": true, "soc_trk": true, "spm": true, "at_medium": true,
	"at_campaign": true,
}

// trackingPrefixes are parameter-name prefixes of whole tracking families.
var trackingPrefixes = []string{"utm_", "pk_", "mtm_", "itm_", "hmb_"}

func isTracking(name string) bool {
	n := strings.ToLower(name)
	if trackingParams[n] {
		return true
	}
	for _, p := range trackingPrefixes {
		if strings.HasPrefix(n, p) {
			return true
		}
	}
	return false
}

// NormalizeURL returns the canonical form of an absolute http(s) URL: scheme
// and host in lower case, default port and trailing host dot removed, user
// info and fragment dropped, dot segments resolved, an empty path made "/",
// tracking parameters (utm_*, fbclid, gclid...) removed and the remaining
// parameters sorted by name. Article ids are hashes of this form, so two
// links to one story give one id.
func NormalizeURL(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "", fmt.Errorf("normalising url: %w", err)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", fmt.Errorf("normalising url %q: scheme %q is not http(s)", raw, u.Scheme)
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if host == "" {
		return "", fmt.Errorf("normalising url %q: no host", raw)
	}
	port := u.Port()
	if (u.Scheme == "http" && port == "80") || (u.Scheme == "https" && port == "443") {
		port = ""
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port != "" {
		host += ":" + port
	}
	u.Host = host
	u.User = nil
	u.Fragment, u.RawFragment = "", ""
	u.Opaque = ""
	if u.Path == "" {
		u.Path, u.RawPath = "/", ""
	} else if strings.Contains(u.Path, "/.") {
		u = u.ResolveReference(&url.URL{Path: u.EscapedPath(), RawQuery: u.RawQuery})
	}
	u.RawQuery = cleanQuery(u.RawQuery)
	u.ForceQuery = false
	return u.String(), nil
}

// cleanQuery drops tracking and empty parameters and sorts the rest by name,
// keeping the order of repeated names. It works on the raw form so that
// encodings the site relies on are kept.
func cleanQuery(raw string) string {
	if raw == "" {
		return ""
	}
	type param struct{ name, raw string }
	var ps []param
	for _, kv := range strings.FieldsFunc(raw, func(r rune) bool { return r == '&' || r == ';' }) {
		name, _, _ := strings.Cut(kv, "=")
		dn, err := url.QueryUnescape(name)
		if err != nil {
			dn = name
		}
		if dn == "" || isTracking(dn) {
			continue
		}
		ps = append(ps, param{dn, kv})
	}
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].name < ps[j].name })
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = p.raw
	}
	return strings.Join(parts, "&")
}

// resolveURL makes ref absolute against base; it returns "" when either fails.
func resolveURL(base, ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return ""
	}
	r, err := url.Parse(ref)
	if err != nil {
		return ""
	}
	if base == "" {
		if r.IsAbs() {
			return r.String()
		}
		return ""
	}
	b, err := url.Parse(base)
	if err != nil {
		return ""
	}
	return b.ResolveReference(r).String()
}
