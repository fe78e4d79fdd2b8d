package ingest

import (
	"cmp"
	"context"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// nonPublic holds the prefixes, beyond what netip.Addr's predicates cover,
// that are not reachable public unicast addresses.
var nonPublic = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),       // "this network"
	netip.MustParsePrefix("100.64.0.0/10"),   // carrier-grade NAT
	netip.MustParsePrefix("192.0.0.0/24"),    // IETF protocol assignments
	netip.MustParsePrefix("192.0.2.0/24"),    // documentation
	netip.MustParsePrefix("198.18.0.0/15"),   // benchmarking
	netip.MustParsePrefix("198.51.100.0/24"), // documentation
	netip.MustParsePrefix("203.0.113.0/24"),  // documentation
	netip.MustParsePrefix("240.0.0.0/4"),     // reserved, broadcast
	netip.MustParsePrefix("64:ff9b:1::/48"),  // local-use NAT64
	netip.MustParsePrefix("100::/64"),        // discard
	netip.MustParsePrefix("2001:db8::/32"),   // documentation
	netip.MustParsePrefix("fec0::/10"),       // deprecated site-local
}

// forbidden reports whether ip must not be dialled unless allowed: loopback,
// private, link-local, multicast, unspecified and reserved ranges, in IPv4,
// IPv6 and the IPv4-mapped and IPv4-translated IPv6 forms.
func forbidden(ip netip.Addr) bool {
	ip = ip.Unmap()
	if ip.Is6() {
		// NAT64 well-known prefix: judge the IPv4 address it embeds.
		if nat64 := netip.MustParsePrefix("64:ff9b::/96"); nat64.Contains(ip) {
			b := ip.As16()
			return forbidden(netip.AddrFrom4([4]byte(b[12:16])))
		}
	}
	if !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsUnspecified() ||
		ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() || ip.IsInterfaceLocalMulticast() ||
		ip.IsMulticast() {
		return true
	}
	for _, p := range nonPublic {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// parseAllowList splits AllowPrivate entries into host names and prefixes.
func parseAllowList(entries []string) (map[string]bool, []netip.Prefix, error) {
	hosts := make(map[string]bool)
	var prefixes []netip.Prefix
	for _, e := range entries {
		e = strings.TrimSpace(e)
		if e == "" {
			continue
		}
		if strings.Contains(e, "/") {
			p, err := netip.ParsePrefix(e)
			if err != nil {
				return nil, nil, fmt.Errorf("parsing allow_private entry %q: %w", e, err)
			}
			prefixes = append(prefixes, p.Masked())
			continue
		}
		if ip, err := netip.ParseAddr(e); err == nil {
			ip = ip.Unmap()
			prefixes = append(prefixes, netip.PrefixFrom(ip, ip.BitLen()))
			continue
		}
		hosts[strings.ToLower(strings.TrimSuffix(e, "."))] = true
	}
	return hosts, prefixes, nil
}

// dialGuard dials only addresses that are public or explicitly allowed. It
// resolves names itself and checks every resolved address before dialling it,
// so neither a redirect to an internal host nor a DNS answer that changes
// between checks (rebinding) can reach a forbidden address; a socket-level
// check on the connected address backs that up.
type dialGuard struct {
	resolver Resolver
	hosts    map[string]bool
	prefixes []netip.Prefix
	dialer   net.Dialer
}

func newDialGuard(cfg Config) (*dialGuard, error) {
	hosts, prefixes, err := parseAllowList(cfg.AllowPrivate)
	if err != nil {
		return nil, err
	}
	g := &dialGuard{resolver: cfg.Resolver, hosts: hosts, prefixes: prefixes}
	// Each address gets its own bounded attempt, so one unreachable address
	// (a blackholed IPv6 route) does not use up the whole request's time.
	g.dialer.Timeout = 10 * time.Second
	if g.resolver == nil {
		g.resolver = net.DefaultResolver
	}
	g.dialer.Control = g.control
	return g, nil
}

// allowed reports whether ip, reached through host, may be dialled.
func (g *dialGuard) allowed(host string, ip netip.Addr) bool {
	ip = ip.Unmap()
	if !forbidden(ip) {
		return true
	}
	if g.hosts[strings.ToLower(strings.TrimSuffix(host, "."))] {
		return true
	}
	for _, p := range g.prefixes {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// control runs after the socket is made and before it connects: the last
// chance to refuse an address, whatever produced it.
func (g *dialGuard) control(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("checking address %s: %w", address, err)
	}
	ip := ap.Addr().Unmap()
	if forbidden(ip) && !g.allowed("", ip) {
		return fmt.Errorf("connecting to %s: %w", ip, ErrForbiddenAddress)
	}
	return nil
}

// DialContext resolves addr's host, drops the addresses it may not dial and
// tries the rest in order.
func (g *dialGuard) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("dialing %s: %w", addr, err)
	}
	var ips []netip.Addr
	if ip, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil {
		ips = []netip.Addr{ip}
	} else if ip, ok := legacyIPv4(host); ok {
		// "2130706433", "0x7f.1", "0177.0.0.1": spellings that browsers,
		// curl and some resolvers read as an address. Judge the address
		// they mean rather than leave them to a resolver that may agree.
		ips = []netip.Addr{ip}
	} else {
		ips, err = g.resolver.LookupNetIP(ctx, "ip", host)
		if err != nil {
			return nil, fmt.Errorf("resolving %s: %w", host, err)
		}
	}
	// IPv4 first: it is the more often reachable family on servers.
	slices.SortStableFunc(ips, func(a, b netip.Addr) int {
		return cmp.Compare(boolInt(!a.Unmap().Is4()), boolInt(!b.Unmap().Is4()))
	})
	var lastErr error = fmt.Errorf("resolving %s: no addresses", host)
	for _, ip := range ips {
		if !g.allowed(host, ip) {
			lastErr = fmt.Errorf("dialing %s (%s): %w", host, ip.Unmap(), ErrForbiddenAddress)
			continue
		}
		if g.hosts[strings.ToLower(strings.TrimSuffix(host, "."))] {
			// An allowed host name passes whatever it resolves to; the
			// socket-level check must not refuse it again.
			conn, err := (&net.Dialer{Timeout: g.dialer.Timeout}).DialContext(ctx, network, net.JoinHostPort(ip.Unmap().String(), port))
			if err == nil {
				return conn, nil
			}
			lastErr = err
			continue
		}
		conn, err := g.dialer.DialContext(ctx, network, net.JoinHostPort(ip.Unmap().String(), port))
		if err == nil {
			return conn, nil
		}
		lastErr = err
	}
	return nil, lastErr
}

// legacyIPv4 reads the IPv4 spellings of inet_aton and the WHATWG URL
// standard: one to four parts separated by dots (a trailing dot allowed),
// each decimal, octal with a leading 0 or hexadecimal with 0x, the last part
// filling the bytes the others leave ("127.1" is 127.0.0.1, "2130706433" is
// 127.0.0.1). ok is false for anything else, such as a host name.
func legacyIPv4(host string) (ip netip.Addr, ok bool) {
	host = strings.TrimSuffix(host, ".")
	parts := strings.Split(host, ".")
	if host == "" || len(parts) > 4 {
		return netip.Addr{}, false
	}
	nums := make([]uint64, len(parts))
	for i, p := range parts {
		n, ok := legacyIPv4Part(p)
		if !ok {
			return netip.Addr{}, false
		}
		nums[i] = n
	}
	last := len(nums) - 1
	for _, n := range nums[:last] {
		if n > 255 {
			return netip.Addr{}, false
		}
	}
	if nums[last] >= 1<<(8*(4-last)) {
		return netip.Addr{}, false
	}
	v := nums[last]
	for i, n := range nums[:last] {
		v |= n << (8 * (3 - i))
	}
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}), true
}

// legacyIPv4Part reads one part of a legacy IPv4 spelling.
func legacyIPv4Part(p string) (uint64, bool) {
	base := 10
	switch {
	case len(p) > 1 && (p[:2] == "0x" || p[:2] == "0X"):
		base, p = 16, p[2:]
		if p == "" {
			return 0, true // "0x" alone is zero in the URL standard
		}
	case len(p) > 1 && p[0] == '0':
		base, p = 8, p[1:]
	}
	if p == "" || len(p) > 32 {
		return 0, false
	}
	n, err := strconv.ParseUint(p, base, 64)
	if err != nil {
		return 0, false
	}
	return n, true
}
