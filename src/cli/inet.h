// inet.h — the address and port conversions ipvsadm does, with the same C library calls.
//
// Parsing accepts what inet_aton/inet_pton/gethostbyname and getservbyname accept (so
// `-t web:http` works); printing resolves names unless numeric, falling back to numbers.
//
//   addrport_name({v4 10.0.0.1, 80}, proto::kTcp, true)    // "10.0.0.1:80"
//   addrport_name({v4 10.0.0.1, 80}, proto::kTcp, false)   // "10.0.0.1:http"
//   parse_number("65535", 0, 65535)                        // 65535; "x", "" or 65536: -1
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "net/addr.h"

namespace ulvs::cli {

// ipvsadm's string_to_number: strtol, the whole string, min..max; -1 otherwise.
long parse_number(const std::string& s, long min, long max);

// inet_aton, then an IPv4 host name (first A record), as ipvsadm's -t/-r/-M parsing does.
std::optional<net::Addr> parse_ipv4_or_host(const std::string& text);
// A service name for a protocol (tcp/udp/sctp) → port, or -1.
int service_to_port(const std::string& name, uint8_t protocol);

// "a.b.c.d:port" / "[v6]:port"; names from the resolver and /etc/services unless numeric.
// Truncated to 59 characters like ipvsadm's 60-byte buffer.
std::string addrport_name(const net::Endpoint& ep, uint8_t protocol, bool numeric);

}  // namespace ulvs::cli
