package fetch

import (
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"net/netip"
	"strings"
	"sync"
	"syscall"
	"testing"

	"golang.org/x/net/dns/dnsmessage"

	"presswatch/internal/model"
)

// IPv6 addresses that embed an IPv4 address are judged by that address.
func TestBlockReasonEmbeddedIPv4(t *testing.T) {
	tests := map[string]struct {
		addr string
		why  string // "" when allowed
	}{
		"NAT64 of the metadata address":     {"64:ff9b::a9fe:a9fe", "NAT64 of 169.254.169.254, link-local"},
		"NAT64 of loopback":                 {"64:ff9b::7f00:1", "NAT64 of 127.0.0.1, loopback"},
		"NAT64 of a private address":        {"64:ff9b::a00:1", "NAT64 of 10.0.0.1, private network"},
		"NAT64 of a public address":         {"64:ff9b::808:808", ""},
		"local-use NAT64, refused outright": {"64:ff9b:1::808:808", "local-use NAT64"},
		"IPv4-compatible, refused outright": {"::808:808", "IPv4-compatible"},
		"IPv4-compatible metadata address":  {"::a9fe:a9fe", "IPv4-compatible"},
		"IPv4-mapped metadata address":      {"::ffff:169.254.169.254", "link-local"},
		"IPv4-mapped public address":        {"::ffff:8.8.8.8", ""},
		"IPv4-translated private address":   {"::ffff:0:c0a8:101", "IPv4-translated of 192.168.1.1, private network"},
		"6to4 of loopback":                  {"2002:7f00:1::1", "6to4 of 127.0.0.1, loopback"},
		"6to4 of the metadata address":      {"2002:a9fe:a9fe::", "6to4 of 169.254.169.254, link-local"},
		"6to4 of a public address":          {"2002:808:808::1", ""},
		// Teredo: server 65.54.227.120, client is the inverted last 32 bits.
		"Teredo client 10.0.0.1":        {"2001:0:4136:e378:8000:63bf:f5ff:fffe", "Teredo client of 10.0.0.1, private network"},
		"Teredo client 169.254.169.254": {"2001:0:4136:e378:8000:63bf:5601:5601", "Teredo client of 169.254.169.254, link-local"},
		"Teredo with a private server":  {"2001:0:a00:1:8000:63bf:f7f7:f7f7", "Teredo server of 10.0.0.1, private network"},
		"Teredo client 8.8.8.8":         {"2001:0:4136:e378:8000:63bf:f7f7:f7f7", ""},
		"a plain public IPv6 address":   {"2a00:1450:4001::1", ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := blockReason(netip.MustParseAddr(tc.addr)); got != tc.why {
				t.Errorf("blockReason(%s) = %q, want %q", tc.addr, got, tc.why)
			}
		})
	}
}

var errNotLoopback = errors.New("test: not connecting to an address outside loopback")

// offlineDialer makes the default transports resolve names from names
// alone, over an in-memory DNS server, and refuse, after the fetcher's own
// check, to connect anywhere but loopback. So a refused address is never
// connected to even when the check is broken. passed receives the
// non-loopback addresses the fetcher's check let through.
func offlineDialer(names map[string]netip.Addr, passed *[]string, mu *sync.Mutex) func(*net.Dialer) {
	return func(d *net.Dialer) {
		d.Resolver = &net.Resolver{PreferGo: true, Dial: func(context.Context, string, string) (net.Conn, error) {
			client, server := net.Pipe()
			go serveDNS(server, names)
			return client, nil
		}}
		check := d.Control
		d.Control = func(network, address string, c syscall.RawConn) error {
			if check != nil {
				if err := check(network, address, c); err != nil {
					return err
				}
			}
			if ap, err := netip.ParseAddrPort(address); err == nil && ap.Addr().Unmap().IsLoopback() {
				return nil
			}
			mu.Lock()
			*passed = append(*passed, address)
			mu.Unlock()
			return errNotLoopback
		}
	}
}

// serveDNS answers DNS over TCP framing on conn: A and AAAA questions for
// the names given, nothing for others.
func serveDNS(conn net.Conn, names map[string]netip.Addr) {
	defer conn.Close()
	for {
		var n [2]byte
		if _, err := io.ReadFull(conn, n[:]); err != nil {
			return
		}
		q := make([]byte, binary.BigEndian.Uint16(n[:]))
		if _, err := io.ReadFull(conn, q); err != nil {
			return
		}
		var p dnsmessage.Parser
		h, err := p.Start(q)
		if err != nil {
			return
		}
		qs, err := p.AllQuestions()
		if err != nil || len(qs) != 1 {
			return
		}
		b := dnsmessage.NewBuilder(nil, dnsmessage.Header{ID: h.ID, Response: true, RecursionAvailable: true})
		b.EnableCompression()
		_ = b.StartQuestions()
		_ = b.Question(qs[0])
		_ = b.StartAnswers()
		addr, ok := names[strings.TrimSuffix(qs[0].Name.String(), ".")]
		rh := dnsmessage.ResourceHeader{Name: qs[0].Name, Class: dnsmessage.ClassINET, TTL: 60}
		switch {
		case ok && qs[0].Type == dnsmessage.TypeA && addr.Is4():
			_ = b.AResource(rh, dnsmessage.AResource{A: addr.As4()})
		case ok && qs[0].Type == dnsmessage.TypeAAAA && addr.Is6():
			_ = b.AAAAResource(rh, dnsmessage.AAAAResource{AAAA: addr.As16()})
		}
		msg, err := b.Finish()
		if err != nil {
			return
		}
		binary.BigEndian.PutUint16(n[:], uint16(len(msg)))
		if _, err := conn.Write(append(n[:], msg...)); err != nil {
			return
		}
	}
}

// A public name that resolves to an IPv6 form of an inside IPv4 address is
// refused at dial time, before connecting; one that embeds a public IPv4
// address passes the check (and is then stopped by the test's dialer).
func TestDialRefusesEmbeddedIPv4(t *testing.T) {
	if l, err := net.Listen("tcp6", "[::1]:0"); err != nil {
		t.Skipf("no IPv6 sockets here, so no IPv6 dial reaches the check: %v", err)
	} else {
		l.Close()
	}
	tests := map[string]struct {
		addr    string
		blocked string // in the error; "" when the check must let it through
	}{
		"NAT64 metadata":    {"64:ff9b::a9fe:a9fe", "169.254.169.254"},
		"6to4 loopback":     {"2002:7f00:1::1", "127.0.0.1"},
		"Teredo private":    {"2001:0:4136:e378:8000:63bf:f5ff:fffe", "10.0.0.1"},
		"IPv4-compatible":   {"::a9fe:a9fe", "IPv4-compatible"},
		"local-use NAT64":   {"64:ff9b:1::a9fe:a9fe", "local-use NAT64"},
		"NAT64 public":      {"64:ff9b::808:808", ""},
		"6to4 public":       {"2002:808:808::1", ""},
		"plain public IPv4": {"8.8.4.4", ""},
	}
	names := map[string]netip.Addr{}
	for name, tc := range tests {
		names[dnsName(name)] = netip.MustParseAddr(tc.addr)
	}
	var (
		mu     sync.Mutex
		passed []string
	)
	f := newFetcher(t, func(o *Options) {
		o.AllowPrivate = false
		o.dialHook = offlineDialer(names, &passed, &mu)
	})
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			mu.Lock()
			before := len(passed)
			mu.Unlock()
			_, err := f.Get(context.Background(), Request{URL: "http://" + dnsName(name) + "/a", SourceID: "news"})
			mu.Lock()
			through := len(passed) > before
			mu.Unlock()
			if tc.blocked != "" {
				if kindOf(err) != model.ErrBlockedAddress || !strings.Contains(err.Error(), tc.blocked) {
					t.Errorf("error %v, want kind blocked_address naming %s", err, tc.blocked)
				}
				if through {
					t.Errorf("the fetcher's check let %s through", tc.addr)
				}
				return
			}
			if !through || err == nil || !strings.Contains(err.Error(), errNotLoopback.Error()) {
				t.Errorf("the check refused %s, a public address: %v", tc.addr, err)
			}
		})
	}
}

// dnsName turns a test name into a DNS name.
func dnsName(name string) string {
	return strings.ToLower(strings.NewReplacer(" ", "-", "(", "", ")", "").Replace(name)) + ".presswatch.test"
}
