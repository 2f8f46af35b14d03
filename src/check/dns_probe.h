// dns_probe.h — DNS_CHECK: one UDP query (type dns_type, default SOA; name dns_name, default
// ".") to connect_ip:connect_port; up iff a response with the same id, QR set, RCODE 0 and
// the question echoed back arrives before the deadline.
//
//   std::vector<uint8_t> q = dns_query(0x1234, "example.com", "A");
//   bool ok = dns_reply_ok(q, reply, &why);
//   ProbeResult r = probe_dns(checker, *net::Endpoint::parse("10.0.0.2:53"), Deadline::after(3000));
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "check/deadline.h"
#include "check/probe_result.h"
#include "config/keepalived_model.h"

namespace ulvs::check {

// A|NS|CNAME|SOA|MX|TXT|AAAA (case-insensitive) → RR type number; nullopt otherwise.
std::optional<uint16_t> dns_type_code(const std::string& name);
// The query packet: header (RD set, one question), QNAME labels, QTYPE, QCLASS IN.
std::vector<uint8_t> dns_query(uint16_t id, const std::string& name, uint16_t type);
bool dns_reply_ok(const std::vector<uint8_t>& query, const uint8_t* reply, size_t len, std::string* why);

ProbeResult probe_dns(const config::Checker& c, const net::Endpoint& to, const Deadline& d);

}  // namespace ulvs::check
