// parse_virtual_server.cc — see parse_virtual_server.h.
#include "config/parse_virtual_server.h"

#include <algorithm>
#include <cctype>

#include "config/parse_checker.h"

namespace ulvs::config {
namespace {

constexpr size_t kMaxGroupKeys = 65536;

std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::toupper(c); });
  return s;
}

bool known_scheduler(const std::string& s) {
  static const char* names[] = {"rr", "wrr", "lc", "wlc", "lblc", "sh", "mh", "dh",
                                "fo", "ovf", "lblcr", "sed", "nq", "twos"};
  return std::any_of(std::begin(names), std::end(names), [&](const char* n) { return s == n; });
}

// Big-endian increment of the address bytes; false on wrap.
bool next_addr(net::Addr& a) {
  for (int i = a.size() - 1; i >= 0; --i)
    if (++a.bytes[i] != 0) return true;
  return false;
}

// First..last inclusive (same family, first <= last), bounded.
bool expand_range(ParseCtx& ctx, const Statement& st, net::Addr first, const net::Addr& last,
                  uint16_t port, std::vector<VirtualKey>& out) {
  if (first.family != last.family || last < first) {
    ctx.error(st, "bad address range '" + st.words[1] + "'");
    return false;
  }
  for (;;) {
    if (out.size() >= kMaxGroupKeys) { ctx.error(st, "address range too large"); return false; }
    out.push_back({ipvs::proto::kTcp, {first, port}, 0, first.family});
    if (first == last || !next_addr(first)) return true;
  }
}

// "a.b.c.d-e", "a.b.c.d-a.b.c.e", "2001:db8::2-9" (hex), "a.b.c.d/n" → first, last.
bool range_bounds(const std::string& s, net::Addr& first, net::Addr& last) {
  auto slash = s.find('/');
  if (slash != std::string::npos) {
    auto a = parse_addr(s.substr(0, slash));
    if (!a) return false;
    auto bits = parse_int(s.substr(slash + 1), 0, a->size() * 8);
    if (!bits) return false;
    first = last = *a;
    for (int i = 0; i < a->size() * 8; ++i) {
      uint8_t m = uint8_t(0x80 >> (i % 8));
      if (i < *bits) continue;
      first.bytes[i / 8] &= uint8_t(~m);
      last.bytes[i / 8] |= m;
    }
    return true;
  }
  auto dash = s.find('-');
  auto a = parse_addr(s.substr(0, dash));
  if (!a) return false;
  std::string end = s.substr(dash + 1);
  first = last = *a;
  if (auto full = parse_addr(end)) { last = *full; return true; }
  if (a->is_v4()) {
    auto v = parse_int(end, 0, 255);
    if (!v) return false;
    last.bytes[3] = uint8_t(*v);
    return true;
  }
  int64_t v = 0;
  if (end.empty() || end.size() > 4 || end.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos) return false;
  v = std::stoll(end, nullptr, 16);
  last.bytes[14] = uint8_t(v >> 8);
  last.bytes[15] = uint8_t(v);
  return true;
}

std::optional<uint32_t> persistence_timeout(ParseCtx& ctx, const Statement& st) {
  if (st.nargs() == 0) return ipvs::kDefaultPersistence;
  auto v = ctx.integer(st, 0, 1, 2678400);
  if (!v) return std::nullopt;
  return uint32_t(*v);
}

// IPv4 netmask "255.255.255.0" or an IPv6 prefix length 1..128 (kept as a mask address).
std::optional<net::Addr> granularity(ParseCtx& ctx, const Statement& st) {
  if (!ctx.need(st, 1, 1)) return std::nullopt;
  if (auto a = net::Addr::parse(st.arg(0)); a && a->is_v4()) return a;
  if (auto bits = parse_int(st.arg(0), 1, 128)) {
    net::Addr m;
    m.family = net::Family::V6;
    for (int i = 0; i < *bits; ++i) m.bytes[i / 8] |= uint8_t(0x80 >> (i % 8));
    return m;
  }
  ctx.error(st, "bad granularity '" + st.arg(0) + "' (IPv4 netmask or IPv6 prefix 1..128)");
  return std::nullopt;
}

// Settings both virtual_server and real_server take; true when handled.
bool cascade_option(ParseCtx& ctx, const Statement& st, Cascade& c) {
  const std::string& k = st.keyword();
  if (k == "delay_loop") { if (auto t = ctx.timer(st, 0)) c.delay_loop = t; }
  else if (k == "connect_timeout") { if (auto t = ctx.timer(st, 0)) c.connect_timeout = t; }
  else if (k == "delay_before_retry") { if (auto t = ctx.timer(st, 0)) c.delay_before_retry = t; }
  else if (k == "warmup") { if (auto t = ctx.timer(st, 0)) c.warmup = t; }
  else if (k == "retry") { if (auto v = ctx.integer(st, 0, 0, INT32_MAX)) c.retry = int(*v); }
  else if (k == "alpha") { if (auto b = ctx.flag(st)) c.alpha = b; }
  else if (k == "inhibit_on_failure") { if (auto b = ctx.flag(st)) c.inhibit_on_failure = b; }
  else if (k == "lb_kind" || k == "lvs_method") { if (auto f = parse_lb_kind(ctx, st)) c.fwd = f; }
  else if (k == "virtualhost") { if (ctx.need(st, 1, 1)) c.virtualhost = st.arg(0); }
  else return false;
  return true;
}

struct RsDraft {
  RealServer rs;
  Cascade set;
  std::vector<CheckerDraft> checkers;
};

// `real_server IP [PORT] { ... }` (default_port: the VS port when there is one).
std::optional<RsDraft> parse_real_server(ParseCtx& ctx, const Statement& blk, uint16_t default_port) {
  if (!ctx.need(blk, 1, 2)) return std::nullopt;
  RsDraft d;
  d.rs.where = blk.where;
  auto a = ctx.addr(blk, 0);
  if (!a) return std::nullopt;
  d.rs.ep.addr = *a;
  d.rs.ep.port = default_port;
  if (blk.nargs() > 1) {
    auto p = ctx.port(blk, 1);
    if (!p) return std::nullopt;
    d.rs.ep.port = *p;
  }
  for (const Statement& st : blk.block) {
    const std::string& k = st.keyword();
    // keepalived 2.2.7's real_server knows lvs_method but not its alias lb_kind.
    if (k != "lb_kind" && cascade_option(ctx, st, d.set)) continue;
    if (auto t = checker_type(k)) {
      for (CheckerDraft& c : parse_checker(ctx, st, *t)) d.checkers.push_back(std::move(c));
      continue;
    }
    if (k == "weight") { if (auto v = ctx.integer(st, 0, 0, INT32_MAX)) d.set.weight = int32_t(*v); }
    else if (k == "notify_up") d.rs.notify_up = ctx.script(st);
    else if (k == "notify_down") d.rs.notify_down = ctx.script(st);
    // 0..UINT_MAX as keepalived reads them (IPVS keeps u32).
    else if (k == "uthreshold") { if (auto v = ctx.integer(st, 0, 0, UINT32_MAX)) d.rs.uthreshold = uint32_t(*v); }
    else if (k == "lthreshold") { if (auto v = ctx.integer(st, 0, 0, UINT32_MAX)) d.rs.lthreshold = uint32_t(*v); }
    else if (k == "smtp_alert") { if (auto b = ctx.flag(st)) d.rs.smtp_alert = *b; }
    else if (k == "snmp_name") {}
    else if (k == "BFD_CHECK") ctx.warn(st, "BFD checks are not supported (ignored)");
    else ctx.unknown(st, "real_server");
  }
  return d;
}

RealServer resolve_real_server(const RsDraft& d, const Cascade& vs) {
  Cascade e = over(d.set, vs);
  RealServer rs = d.rs;
  FwdSpec f = e.fwd.value_or(FwdSpec{});
  rs.fwd = f.fwd;
  rs.tun_type = f.tun_type;
  rs.tun_port = f.tun_port;
  rs.tun_flags = f.tun_flags;
  rs.weight = e.weight.value_or(1);
  rs.inhibit_on_failure = e.inhibit_on_failure.value_or(false);
  rs.alpha = e.alpha.value_or(false);
  for (const CheckerDraft& c : d.checkers) rs.checkers.push_back(resolve_checker(c, e));
  return rs;
}

// Header: `IP [PORT]`, `fwmark N`, `group NAME`.
bool parse_vs_header(ParseCtx& ctx, const Statement& blk, const Groups& groups, VirtualServer& vs) {
  if (!ctx.need(blk, 1, 2)) return false;
  const std::string& a0 = blk.arg(0);
  if (a0 == "fwmark") {
    auto m = ctx.integer(blk, 1, 1, UINT32_MAX);
    if (!m) return false;
    vs.keys.push_back({0, {}, uint32_t(*m), net::Family::V4});
    return true;
  }
  if (a0 == "group") {
    if (!ctx.need(blk, 2, 2)) return false;
    vs.group = blk.arg(1);
    auto g = groups.find(vs.group);
    if (g == groups.end()) { ctx.error(blk, "unknown virtual_server_group '" + vs.group + "'"); return false; }
    vs.keys = g->second;
    if (vs.keys.empty()) ctx.warn(blk, "virtual_server_group '" + vs.group + "' is empty");
    return true;
  }
  auto addr = ctx.addr(blk, 0);
  if (!addr) return false;
  VirtualKey k{ipvs::proto::kTcp, {*addr, 0}, 0, addr->family};
  if (blk.nargs() > 1) {
    auto p = ctx.port(blk, 1);
    if (!p) return false;
    k.ep.port = *p;
  }
  vs.keys.push_back(k);
  return true;
}

struct VsExtra {
  Cascade set;
  std::optional<uint8_t> protocol;
  std::optional<net::Family> ip_family;
  std::optional<FwdSpec> sorry_fwd;
  bool scheduler_set = false;
  const Statement* ops = nullptr;
  const Statement* client_addr = nullptr;
  std::vector<RsDraft> real_servers;
  std::optional<RsDraft> sorry;
};

// Scheduler flag keywords; sh-*/mh-* only count after `lb_algo sh` / `mh`.
bool sched_flag(ParseCtx& ctx, const Statement& st, VirtualServer& vs) {
  const std::string& k = st.keyword();
  uint32_t bit = 0;
  if (k == "flag-1") bit = ipvs::svc_flag::kSched1;
  else if (k == "flag-2") bit = ipvs::svc_flag::kSched2;
  else if (k == "flag-3") bit = ipvs::svc_flag::kSched3;
  else if (k == "sh-port" || k == "sh-fallback" || k == "mh-port" || k == "mh-fallback") {
    if (vs.scheduler != k.substr(0, 2)) {
      ctx.warn(st, "only applies after lb_algo " + k.substr(0, 2) + " (ignored)");
      return true;
    }
    bit = k.ends_with("port") ? ipvs::svc_flag::kSched2 : ipvs::svc_flag::kSched1;
  } else {
    return false;
  }
  vs.sched_flags |= bit;
  return true;
}

void vs_option(ParseCtx& ctx, const Statement& st, VirtualServer& vs, VsExtra& x, uint16_t port) {
  const std::string& k = st.keyword();
  if (cascade_option(ctx, st, x.set) || sched_flag(ctx, st, vs)) return;
  if (k == "real_server") {
    if (auto rs = parse_real_server(ctx, st, port)) x.real_servers.push_back(std::move(*rs));
  } else if (k == "lb_algo" || k == "lvs_sched") {
    if (!ctx.need(st, 1, 1)) return;
    if (!known_scheduler(st.arg(0))) { ctx.error(st, "unknown scheduler '" + st.arg(0) + "'"); return; }
    vs.scheduler = st.arg(0);
    x.scheduler_set = true;
  } else if (k == "protocol") {
    if (!ctx.need(st, 1, 1)) return;
    std::string p = upper(st.arg(0));
    if (p == "TCP") x.protocol = ipvs::proto::kTcp;
    else if (p == "UDP") x.protocol = ipvs::proto::kUdp;
    else if (p == "SCTP") x.protocol = ipvs::proto::kSctp;
    else ctx.error(st, "unknown protocol '" + st.arg(0) + "' (TCP|UDP|SCTP)");
  } else if (k == "persistence_timeout") {
    if (auto t = persistence_timeout(ctx, st)) vs.persistence_timeout = *t;
  } else if (k == "persistence_granularity") {
    if (auto g = granularity(ctx, st)) vs.persistence_granularity = g;
  } else if (k == "persistence_engine") {
    if (ctx.need(st, 1, 1)) vs.persistence_engine = st.arg(0);
  } else if (k == "weight") {
    if (auto v = ctx.integer(st, 0, 1, INT32_MAX)) x.set.weight = int32_t(*v);
  } else if (k == "ops") { vs.ops = true; x.ops = &st; }
  else if (k == "ha_suspend") vs.ha_suspend = true;
  else if (k == "omega") vs.omega = true;
  else if (k == "quorum") { if (auto v = ctx.integer(st, 0, 1, INT32_MAX)) vs.quorum = int(*v); }
  else if (k == "hysteresis") { if (auto v = ctx.integer(st, 0, 0, INT32_MAX)) vs.hysteresis = int(*v); }
  else if (k == "quorum_up") vs.quorum_up = ctx.script(st);
  else if (k == "quorum_down") vs.quorum_down = ctx.script(st);
  else if (k == "sorry_server") {
    if (auto rs = parse_real_server(ctx, st, port)) x.sorry = std::move(*rs);
  } else if (k == "sorry_server_inhibit") { if (auto b = ctx.flag(st)) vs.sorry_server_inhibit = *b; }
  else if (k == "sorry_server_lvs_method") { if (auto f = parse_lb_kind(ctx, st)) x.sorry_fwd = f; }
  else if (k == "ip_family") {
    if (!ctx.need(st, 1, 1)) return;
    if (st.arg(0) == "inet") x.ip_family = net::Family::V4;
    else if (st.arg(0) == "inet6") x.ip_family = net::Family::V6;
    else ctx.error(st, "bad ip_family '" + st.arg(0) + "' (inet|inet6)");
  } else if (k == "toa") { vs.client_addr = ipvs::ClientAddr::Toa; x.client_addr = &st; }
  else if (k == "proxy_protocol") {
    if (!ctx.need(st, 1, 1)) return;
    if (st.arg(0) == "v1") vs.client_addr = ipvs::ClientAddr::ProxyV1;
    else if (st.arg(0) == "v2") vs.client_addr = ipvs::ClientAddr::ProxyV2;
    else { ctx.error(st, "bad proxy_protocol '" + st.arg(0) + "' (v1|v2)"); return; }
    x.client_addr = &st;
  } else if (k == "smtp_alert") { if (auto b = ctx.flag(st)) vs.smtp_alert = *b; }
  else if (k == "hashed") {}
  else ctx.unknown(st, "virtual_server");
}

// Protocol, fwmark family, persistence and ops rules applied once the block is read.
void finish_keys(ParseCtx& ctx, const Statement& blk, VirtualServer& vs, VsExtra& x) {
  bool any_addr = std::any_of(vs.keys.begin(), vs.keys.end(), [](auto& k) { return k.fwmark == 0; });
  if (!any_addr && x.protocol) ctx.warn(blk.where, "virtual_server: protocol is ignored for fwmark services");
  if (any_addr && !x.protocol) ctx.warn(blk.where, "virtual_server: protocol not set, using UDP (keepalived's default)");
  uint8_t proto = x.protocol.value_or(ipvs::proto::kUdp);
  net::Family fam = x.ip_family ? *x.ip_family
                    : !x.real_servers.empty() ? x.real_servers[0].rs.ep.addr.family : net::Family::V4;
  bool port0 = false;
  for (VirtualKey& k : vs.keys) {
    if (k.fwmark) { if (vs.group.empty() || x.ip_family) k.family = fam; continue; }
    k.protocol = proto;
    port0 |= k.ep.port == 0;
  }
  if (port0 && vs.persistence_timeout == 0) {
    ctx.warn(blk.where, "virtual_server: no port and not persistent, persistence forced to 360 s");
    vs.persistence_timeout = ipvs::kDefaultPersistence;
  }
  if (vs.persistence_granularity && vs.persistence_timeout == 0) vs.persistence_timeout = ipvs::kDefaultPersistence;
  if (vs.ops && any_addr && proto != ipvs::proto::kUdp) {
    ctx.warn(x.ops->where, "ops: one-packet scheduling needs UDP (ignored)");
    vs.ops = false;
  }
  if (!x.scheduler_set) ctx.warn(blk.where, "virtual_server: lb_algo not set, using wlc");
}

// DR and TUN cannot change the port: keepalived resets a different real-server port to the
// virtual server's, with a warning.
void reset_direct_port(ParseCtx& ctx, const VirtualServer& vs, RealServer& rs) {
  if (rs.fwd != ipvs::Fwd::Route && rs.fwd != ipvs::Fwd::Tunnel) return;
  if (vs.keys.size() != 1 || vs.keys[0].fwmark || vs.keys[0].ep.port == 0) return;
  if (rs.ep.port == vs.keys[0].ep.port) return;
  ctx.warn(rs.where, "real_server " + rs.ep.str() + ": DR/TUN cannot change the port, using " +
                         std::to_string(vs.keys[0].ep.port) + " (as keepalived)");
  rs.ep.port = vs.keys[0].ep.port;
}

void finish_real_servers(ParseCtx& ctx, const Statement& blk, VirtualServer& vs, VsExtra& x) {
  Cascade vsc = x.set;
  bool fwd_missing = !vsc.fwd && std::any_of(x.real_servers.begin(), x.real_servers.end(),
                                             [](auto& r) { return !r.set.fwd; });
  if (fwd_missing) ctx.warn(blk.where, "virtual_server: lb_kind not set, using NAT");
  for (const RsDraft& d : x.real_servers) {
    RealServer rs = resolve_real_server(d, vsc);
    reset_direct_port(ctx, vs, rs);
    auto dup = std::find_if(vs.real_servers.begin(), vs.real_servers.end(), [&](auto& o) { return o.ep == rs.ep; });
    if (dup != vs.real_servers.end()) {
      ctx.error(rs.where, "real_server " + rs.ep.str() + " is duplicated (first at " + dup->where.str() + ")");
      continue;
    }
    vs.real_servers.push_back(std::move(rs));
  }
  if (x.sorry) {
    Cascade sc = vsc;
    if (x.sorry_fwd) sc.fwd = x.sorry_fwd;
    sc.weight = 1;
    vs.sorry_server = resolve_real_server(*x.sorry, sc);
  }
  if (x.client_addr && std::none_of(vs.real_servers.begin(), vs.real_servers.end(),
                                    [](auto& r) { return r.fwd == ipvs::Fwd::FullNat; }))
    ctx.warn(*x.client_addr, "only applies to FULLNAT real servers");
}

}  // namespace

std::optional<FwdSpec> parse_lb_kind(ParseCtx& ctx, const Statement& st) {
  if (!ctx.need(st, 1, SIZE_MAX)) return std::nullopt;
  FwdSpec f;
  // Case matters, as in keepalived (strcmp): `lb_kind dr` is no DR there (it warns and uses NAT).
  const std::string& m = st.arg(0);
  if (m == "NAT") f.fwd = ipvs::Fwd::Masq;
  else if (m == "DR") f.fwd = ipvs::Fwd::Route;
  else if (m == "FULLNAT" || m == "FNAT") f.fwd = ipvs::Fwd::FullNat;
  else if (m == "TUN") f.fwd = ipvs::Fwd::Tunnel;
  else {
    std::string hint = upper(m) != m && (upper(m) == "NAT" || upper(m) == "DR" || upper(m) == "TUN")
                           ? " (upper case, as keepalived: " + upper(m) + ")"
                           : " (NAT|DR|TUN|FULLNAT)";
    ctx.error(st, "unknown forwarding method '" + m + "'" + hint);
    return std::nullopt;
  }
  if (f.fwd != ipvs::Fwd::Tunnel) {
    if (st.nargs() > 1) ctx.warn(st, "extra values ignored after '" + st.arg(0) + "'");
    return f;
  }
  std::optional<std::string> csum;
  for (size_t i = 1; i < st.nargs(); ++i) {
    const std::string& a = st.arg(i);
    if (a == "type" && i + 1 < st.nargs()) {
      const std::string& t = st.arg(++i);
      if (t == "ipip") f.tun_type = ipvs::TunType::Ipip;
      else if (t == "gue") f.tun_type = ipvs::TunType::Gue;
      else if (t == "gre") f.tun_type = ipvs::TunType::Gre;
      else { ctx.error(st, "unknown tunnel type '" + t + "' (ipip|gue|gre)"); return std::nullopt; }
    } else if (a == "port" && i + 1 < st.nargs()) {
      auto p = ctx.port(st, ++i);
      if (!p) return std::nullopt;
      f.tun_port = *p;
    } else if (a == "nocsum" || a == "csum" || a == "remcsum") {
      csum = a;
    } else {
      ctx.error(st, "unexpected '" + a + "' in TUN options");
      return std::nullopt;
    }
  }
  bool gue = f.tun_type == ipvs::TunType::Gue;
  if (gue && f.tun_port == 0) { ctx.error(st, "TUN type gue needs a port"); return std::nullopt; }
  if (!gue && f.tun_port) { ctx.error(st, "port only applies to TUN type gue"); return std::nullopt; }
  if (csum && f.tun_type == ipvs::TunType::Ipip) { ctx.error(st, "TUN type ipip takes no checksum option"); return std::nullopt; }
  if (csum == "remcsum" && f.tun_type == ipvs::TunType::Gre) { ctx.error(st, "TUN type gre does not support remcsum"); return std::nullopt; }
  f.tun_flags = csum == "csum" ? 1 : csum == "remcsum" ? 2 : 0;  // kernel IP_VS_TUNNEL_ENCAP_FLAG_*
  return f;
}

std::vector<VirtualKey> parse_group_member(ParseCtx& ctx, const Statement& st) {
  std::vector<VirtualKey> out;
  const std::string& k = st.keyword();
  if (k == "fwmark") {
    auto m = ctx.integer(st, 0, 1, UINT32_MAX);
    if (!m) return out;
    net::Family fam = net::Family::V4;
    if (st.nargs() > 1) {
      if (st.arg(1) == "inet6") fam = net::Family::V6;
      else if (st.arg(1) != "inet") { ctx.error(st, "bad family '" + st.arg(1) + "' (inet|inet6)"); return out; }
    }
    out.push_back({0, {}, uint32_t(*m), fam});
    return out;
  }
  if (st.has_block) { ctx.unknown(st, "virtual_server_group"); return out; }
  uint16_t port = 0;
  if (st.nargs() > 1) ctx.warn(st.where, "virtual_server_group: extra values ignored after '" + st.arg(0) + "'");
  if (st.nargs() >= 1) {
    auto p = parse_port(st.arg(0));
    if (!p) { ctx.error(st.where, "virtual_server_group: bad port '" + st.arg(0) + "' (1..65535 expected)"); return out; }
    port = *p;
  }
  if (auto a = parse_addr(k)) {
    out.push_back({ipvs::proto::kTcp, {*a, port}, 0, a->family});
    return out;
  }
  net::Addr first, last;
  if ((k.find('-') == std::string::npos && k.find('/') == std::string::npos) || !range_bounds(k, first, last)) {
    ctx.error(st.where, "virtual_server_group: bad address or range '" + k + "'");
    return out;
  }
  Statement named = st;
  named.words.insert(named.words.begin(), "virtual_server_group");
  expand_range(ctx, named, first, last, port, out);
  return out;
}

std::vector<VirtualKey> parse_vs_group(ParseCtx& ctx, const Statement& blk) {
  std::vector<VirtualKey> keys;
  for (const Statement& st : blk.block) {
    auto part = parse_group_member(ctx, st);
    keys.insert(keys.end(), part.begin(), part.end());
  }
  return keys;
}

std::optional<VirtualServer> parse_virtual_server(ParseCtx& ctx, const Statement& blk,
                                                  const Groups& groups, const Cascade& root) {
  VirtualServer vs;
  vs.where = blk.where;
  if (!parse_vs_header(ctx, blk, groups, vs)) return std::nullopt;
  uint16_t port = vs.group.empty() ? vs.keys[0].ep.port : 0;  // group: each member's port
  VsExtra x;
  for (const Statement& st : blk.block) vs_option(ctx, st, vs, x, port);
  x.set = over(x.set, root);
  vs.delay_loop = x.set.delay_loop.value_or(60000);
  vs.virtualhost = x.set.virtualhost.value_or("");
  vs.alpha = x.set.alpha.value_or(false);
  finish_keys(ctx, blk, vs, x);
  finish_real_servers(ctx, blk, vs, x);
  return vs;
}

}  // namespace ulvs::config
