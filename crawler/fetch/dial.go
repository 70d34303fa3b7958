package fetch

import (
	"fmt"
	"net/netip"
	"syscall"
)

// blockedError is returned by the dialer for an address that is not on the
// public internet. It travels up through *url.Error and *net.OpError and is
// found again with errors.As when the error is classified.
type blockedError struct{ addr netip.Addr }

func (e *blockedError) Error() string {
	return fmt.Sprintf("refusing private or local address %s", e.addr)
}

// Ranges not covered by the netip.Addr predicates.
var extraBlocked = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),          // "this network"
	netip.MustParsePrefix("100.64.0.0/10"),      // carrier-grade NAT
	netip.MustParsePrefix("192.0.0.0/24"),       // IETF protocol assignments
	netip.MustParsePrefix("198.18.0.0/15"),      // benchmarking
	netip.MustParsePrefix("240.0.0.0/4"),        // reserved, and broadcast
	netip.MustParsePrefix("64:ff9b:1::/48"),     // local-use NAT64
	netip.MustParsePrefix("2001:db8::/32"),      // documentation
	netip.MustParsePrefix("fec0::/10"),          // deprecated site-local
	netip.MustParsePrefix("100::/64"),           // discard-only
	netip.MustParsePrefix("2001:10::/28"),       // deprecated ORCHID
	netip.MustParsePrefix("192.0.2.0/24"),       // documentation
	netip.MustParsePrefix("198.51.100.0/24"),    // documentation
	netip.MustParsePrefix("203.0.113.0/24"),     // documentation
	netip.MustParsePrefix("255.255.255.255/32"), // broadcast
}

// isBlocked reports whether ip must not be reached when AllowPrivate is
// false: loopback, private (RFC 1918, fc00::/7), link-local, unspecified,
// multicast and the special-purpose ranges above.
func isBlocked(ip netip.Addr) bool {
	ip = ip.Unmap()
	if ip.IsLoopback() || ip.IsPrivate() || ip.IsUnspecified() ||
		ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() {
		return true
	}
	for _, p := range extraBlocked {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// refusePrivate is the net.Dialer.Control hook. It runs after DNS
// resolution, on the very address being dialed, so a public name that
// resolves to an inside address (or changes to one between lookups) is
// still refused.
func refusePrivate(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("refusing unparsable address %q: %w", address, err)
	}
	if isBlocked(ap.Addr()) {
		return &blockedError{addr: ap.Addr().Unmap()}
	}
	return nil
}

// checkLiteral refuses a URL host that is itself a blocked IP address,
// before any politeness wait or dial. It also covers injected transports,
// whose dialing the fetcher does not control.
func checkLiteral(hostname string) error {
	ip, err := netip.ParseAddr(hostname)
	if err != nil {
		return nil // a name: checked at dial time
	}
	if isBlocked(ip) {
		return &blockedError{addr: ip.Unmap()}
	}
	return nil
}
