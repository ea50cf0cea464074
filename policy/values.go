package policy

import (
	"encoding/base64"
	"math/big"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// The functions below read condition values of the typed operators. The
// parser uses them to reject policy values that can never match, and the
// evaluator uses the same functions for request values, so that both sides
// accept exactly the same forms.

// ParseNumber reads a Numeric operator value: an optional sign, digits and
// an optional fraction ("10", "-3", "2.5"). Exponents and fractions written
// as "a/b" are rejected. Numbers compare exactly.
func ParseNumber(s string) (*big.Rat, bool) {
	s = strings.TrimSpace(s)
	if s == "" || strings.ContainsAny(s, "/eEiInN_xXpP") {
		return nil, false
	}
	r, ok := new(big.Rat).SetString(s)
	return r, ok
}

// ParseDate reads a Date operator value: one of the W3C forms of ISO 8601
// that AWS documents (YYYY, YYYY-MM, YYYY-MM-DD, then a time to minutes,
// seconds or fractions of a second with "Z" or a ±hh:mm zone) or a count of
// epoch seconds ("1700000000"). A four-digit number is read as a year.
func ParseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	if len(s) != 4 && isDigits(strings.TrimPrefix(s, "-")) {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return time.Time{}, false
		}
		return time.Unix(n, 0).UTC(), true
	}
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// dateLayouts are tried in order, the common form (RFC 3339, as
// aws:CurrentTime is written) first. time.Parse accepts fractional seconds
// after a seconds field without a layout of their own.
var dateLayouts = []string{
	"2006-01-02T15:04:05Z07:00",
	"2006", "2006-01", "2006-01-02",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04Z0700", "2006-01-02T15:04:05Z0700",
	"20060102T150405Z", "20060102",
}

// ParseIP reads an IpAddress operator value: an IPv4 or IPv6 address, or a
// CIDR block. An address alone is the block holding just that address. The
// host bits of a CIDR block are cleared ("10.1.2.3/8" is 10.0.0.0/8), as AWS
// reads them.
func ParseIP(s string) (netip.Prefix, bool) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, false
		}
		return p.Masked(), true
	}
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" {
		return netip.Prefix{}, false
	}
	return netip.PrefixFrom(a, a.BitLen()), true
}

// ParseBinary reads a BinaryEquals operator value: standard base64.
func ParseBinary(s string) ([]byte, bool) {
	b, err := base64.StdEncoding.DecodeString(s)
	return b, err == nil
}

// ParseBool reads a Bool or Null operator value: "true" or "false", in any
// case.
func ParseBool(s string) (value, ok bool) {
	switch strings.ToLower(s) {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	return false, false
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
