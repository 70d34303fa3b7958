package fetch

import (
	"fmt"
	"net/netip"
	"syscall"
)

// blockedError is returned by the dialer for an address that is not on the
// public internet. It travels up through *url.Error and *net.OpError and is
// found again with errors.As when the error is classified.
type blockedError struct {
	addr netip.Addr
	why  string // what the address is, from blockReason
}

func (e *blockedError) Error() string {
	return fmt.Sprintf("refusing private or local address %s (%s)", e.addr, e.why)
}

// Ranges not covered by the netip.Addr predicates.
var extraBlocked = []struct {
	p   netip.Prefix
	why string
}{
	{netip.MustParsePrefix("0.0.0.0/8"), `"this network"`},
	{netip.MustParsePrefix("100.64.0.0/10"), "carrier-grade NAT"},
	{netip.MustParsePrefix("192.0.0.0/24"), "IETF protocol assignments"},
	{netip.MustParsePrefix("198.18.0.0/15"), "benchmarking"},
	{netip.MustParsePrefix("240.0.0.0/4"), "reserved"},
	{netip.MustParsePrefix("192.0.2.0/24"), "documentation"},
	{netip.MustParsePrefix("198.51.100.0/24"), "documentation"},
	{netip.MustParsePrefix("203.0.113.0/24"), "documentation"},
	// Local-use NAT64 (RFC 8215) translates for one network's own
	// translator: whatever it reaches is that network's choice, not the
	// public internet's, so the whole range is refused.
	{netip.MustParsePrefix("64:ff9b:1::/48"), "local-use NAT64"},
	// IPv4-compatible addresses (RFC 4291, deprecated) are not routed on
	// the internet; some systems still tunnel them to the embedded IPv4
	// address, so the range is refused outright rather than read.
	{netip.MustParsePrefix("::/96"), "IPv4-compatible"},
	{netip.MustParsePrefix("2001:db8::/32"), "documentation"},
	{netip.MustParsePrefix("fec0::/10"), "deprecated site-local"},
	{netip.MustParsePrefix("100::/64"), "discard-only"},
	{netip.MustParsePrefix("2001:10::/28"), "deprecated ORCHID"},
}

// Ranges whose addresses embed an IPv4 address that the traffic ends up at.
// Public IPv4 hosts are reachable through them (an IPv6-only network
// reaches the IPv4 internet through NAT64), so they are not refused
// outright: the embedded IPv4 address is checked by the IPv4 rules.
var (
	nat64     = netip.MustParsePrefix("64:ff9b::/96")    // RFC 6052 well-known prefix
	sixToFour = netip.MustParsePrefix("2002::/16")       // RFC 3056: bits 16-48
	teredo    = netip.MustParsePrefix("2001::/32")       // RFC 4380: server bits 32-64, client bits 96-128 inverted
	siit      = netip.MustParsePrefix("::ffff:0:0:0/96") // RFC 2765 IPv4-translated
)

// isBlocked reports whether ip must not be reached when private networks
// are not allowed; see blockReason.
func isBlocked(ip netip.Addr) bool { return blockReason(ip) != "" }

// blockReason says why ip must not be reached when private networks are
// not allowed, or returns "" for a public address: loopback, private (RFC
// 1918, fc00::/7), link-local, unspecified, multicast, the special-purpose
// ranges above, and IPv6 addresses embedding an IPv4 address (IPv4-mapped,
// NAT64, 6to4, Teredo, IPv4-translated) whose IPv4 address is any of those.
func blockReason(ip netip.Addr) string {
	ip = ip.Unmap() // ::ffff:a.b.c.d is a.b.c.d
	switch {
	case ip.IsLoopback():
		return "loopback"
	case ip.IsPrivate():
		return "private network"
	case ip.IsUnspecified():
		return "unspecified"
	case ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast():
		return "link-local"
	case ip.IsInterfaceLocalMulticast() || ip.IsMulticast():
		return "multicast"
	}
	for _, b := range extraBlocked {
		if b.p.Contains(ip) {
			return b.why
		}
	}
	for _, e := range embedded(ip) {
		if why := blockReason(e.v4); why != "" {
			return fmt.Sprintf("%s of %s, %s", e.form, e.v4, why)
		}
	}
	return ""
}

// embeddedV4 is an IPv4 address found inside an IPv6 address.
type embeddedV4 struct {
	form string // "NAT64", "6to4", "Teredo server", "Teredo client", "IPv4-translated"
	v4   netip.Addr
}

// embedded returns the IPv4 addresses traffic to ip would reach.
func embedded(ip netip.Addr) []embeddedV4 {
	if !ip.Is6() {
		return nil
	}
	b := ip.As16()
	v4 := func(p []byte) netip.Addr { return netip.AddrFrom4([4]byte(p)) }
	switch {
	case nat64.Contains(ip):
		return []embeddedV4{{"NAT64", v4(b[12:16])}}
	case siit.Contains(ip):
		return []embeddedV4{{"IPv4-translated", v4(b[12:16])}}
	case sixToFour.Contains(ip):
		return []embeddedV4{{"6to4", v4(b[2:6])}}
	case teredo.Contains(ip):
		client := [4]byte{b[12] ^ 0xff, b[13] ^ 0xff, b[14] ^ 0xff, b[15] ^ 0xff}
		return []embeddedV4{{"Teredo server", v4(b[4:8])}, {"Teredo client", netip.AddrFrom4(client)}}
	}
	return nil
}

// refusePrivate is the net.Dialer.Control hook. It runs after DNS
// resolution, on the very address being dialed and before any packet is
// sent to it, so a public name that resolves to an inside address (or
// changes to one between lookups) is still refused.
func refusePrivate(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("refusing unparsable address %q: %w", address, err)
	}
	return checkAddr(ap.Addr())
}

// checkAddr returns a *blockedError for an address blockReason refuses.
func checkAddr(ip netip.Addr) error {
	if why := blockReason(ip); why != "" {
		return &blockedError{addr: ip.Unmap().WithZone(""), why: why}
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
	return checkAddr(ip)
}
