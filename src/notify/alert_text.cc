// alert_text.cc — see alert_text.h.
#include "notify/alert_text.h"

#include <algorithm>

namespace ulvs::notify {
namespace {

using config::Checker;

// The protocol keepalived keeps for the virtual server (its service_type): the address
// services' protocol; 0 when it only has fwmarks (check_data.c clears it for those).
uint8_t service_type(const config::VirtualServer& vs) {
  for (const config::VirtualKey& k : vs.keys)
    if (!k.fwmark) return k.protocol;
  return 0;
}

const char* proto_name(uint8_t p) {
  switch (p) {
    case ipvs::proto::kTcp: return "tcp";
    case ipvs::proto::kUdp: return "udp";
    case ipvs::proto::kSctp: return "sctp";
    case 0: return "none";
    default: return "?";
  }
}

// inet_sockaddrtotrio: "[addr]:proto:port", brackets for IPv4 too.
std::string trio(const net::Addr& a, uint8_t proto, uint16_t port) {
  return "[" + a.str() + "]:" + proto_name(proto) + ":" + std::to_string(port);
}

// The real server's port after check_data.c's fix-ups (groups are left as written).
uint16_t rs_port(const config::VirtualServer& vs, const config::RealServer& rs) {
  if (!vs.group.empty() || vs.keys.empty()) return rs.ep.port;
  const config::VirtualKey& key = vs.keys.front();
  const bool nat = rs.fwd == ipvs::Fwd::Masq || rs.fwd == ipvs::Fwd::FullNat;
  if (nat) return (!key.fwmark && rs.ep.port == 0) ? key.ep.port : rs.ep.port;
  return key.fwmark ? 0 : key.ep.port;
}

std::string clip(std::string s, size_t max) {
  if (s.size() > max) s.resize(max);
  return s;
}

std::string rs_subject(const std::string& router_id, const config::VirtualServer& vs, size_t rs,
                       bool up) {
  const config::RealServer& r = vs.real_servers.at(rs);
  return "[" + router_id + "] Realserver " + format_rs(vs, r) + " of virtual server " +
         format_vs(vs) + " - " + (up ? "UP" : "DOWN");
}

std::string vs_subject(const std::string& router_id, const config::VirtualServer& vs, bool up) {
  return "[" + router_id + "] Virtualserver " + format_vs(vs) + " - " + (up ? "UP" : "DOWN");
}

}  // namespace

std::string format_vs(const config::VirtualServer& vs) {
  // A group's own address is never set in keepalived: its port prints as 0.
  if (!vs.group.empty()) return "[" + vs.group + "]:0";
  if (vs.keys.empty()) return "";
  const config::VirtualKey& k = vs.keys.front();
  if (k.fwmark) return "FWM " + std::to_string(k.fwmark);
  return trio(k.ep.addr, service_type(vs), k.ep.port);
}

std::string format_rs(const config::VirtualServer& vs, const config::RealServer& rs) {
  return trio(rs.ep.addr, service_type(vs), rs_port(vs, rs));
}

std::string checker_body(Checker::Type type, bool ok) {
  switch (type) {
    case Checker::Tcp: return ok ? "=> TCP CHECK succeed on service <=" : "=> TCP CHECK failed on service <=";
    case Checker::Udp: return ok ? "=> UDP CHECK succeed on service <=" : "=> UDP CHECK failed on service <=";
    case Checker::Ping: return ok ? "=> ICMP CHECK succeed on service <=" : "=> ICMP CHECK failed on service <=";
    case Checker::Dns: return ok ? "=> DNS_CHECK: succeed on service <=" : "=> DNS_CHECK: failed on service <=";
    case Checker::Http:
    case Checker::Ssl:
      return ok ? "=> CHECK succeed on service <=" : "=> CHECK failed on service : HTTP request failed <=";
    case Checker::Smtp: return ok ? "=> CHECK succeed on service <=" : "=> CHECK failed on service <=";
    case Checker::Misc: return ok ? "=> MISC CHECK succeeded on service <=" : "=> MISC CHECK failed on service <=";
    case Checker::File: return "";
  }
  return "";
}

std::string quorum_body(bool up, bool init, int quorum, int hysteresis, int64_t threshold,
                        int64_t weight_sum) {
  const char* what = up ? (init ? "Starting with quorum up" : "Gained quorum")
                        : (init ? "Starting with quorum down" : "Lost quorum");
  return std::string("=> ") + what + " " + std::to_string(quorum) + "+" + std::to_string(hysteresis) +
         "=" + std::to_string(threshold) + " <= " + std::to_string(weight_sum) + " <=";
}

Message alert_message(const std::string& router_id, const config::VirtualServer& vs,
                      const config::Alert& a) {
  Message m;
  switch (a.kind) {
    case config::Alert::RsCheck: {
      const config::Checker& c = vs.real_servers.at(a.rs).checkers.at(a.checker);
      m = {rs_subject(router_id, vs, a.rs, a.up), checker_body(c.type, a.checker_up)};
      break;
    }
    case config::Alert::RsShutdown:
      m = {rs_subject(router_id, vs, a.rs, false), "=> Shutting down <="};
      break;
    case config::Alert::VsQuorum:
      m = {vs_subject(router_id, vs, a.up),
           quorum_body(a.up, a.init, a.quorum, a.hysteresis, a.threshold, a.weight_sum)};
      break;
    case config::Alert::VsShutdown:
      m = {vs_subject(router_id, vs, false), "=> Shutting down <="};
      break;
  }
  return {clip(std::move(m.subject), kMaxSubject), clip(std::move(m.body), kMaxBody)};
}

}  // namespace ulvs::notify
