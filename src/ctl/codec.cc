// codec.cc — JSON mapping of the command model.  Decoding is strict (unknown fields, wrong
// types and out-of-range numbers are errors) so a typo in a hand-written request is reported
// instead of silently taking a default.
#include "ctl/codec.h"

#include <array>
#include <limits>
#include <stdexcept>

namespace ulvs::ctl {

using json = nlohmann::json;

namespace {

[[noreturn]] void bad(const std::string& msg) { throw std::invalid_argument(msg); }

constexpr std::array<std::pair<Op, std::string_view>, 21> kOps = {{
    {Op::AddService, "add_service"}, {Op::EditService, "edit_service"},
    {Op::DelService, "del_service"}, {Op::Flush, "flush"},
    {Op::AddDest, "add_dest"},       {Op::EditDest, "edit_dest"},
    {Op::DelDest, "del_dest"},       {Op::Zero, "zero"},
    {Op::SetTimeouts, "set_timeouts"}, {Op::StartDaemon, "start_daemon"},
    {Op::StopDaemon, "stop_daemon"}, {Op::GetInfo, "get_info"},
    {Op::GetServices, "get_services"}, {Op::GetTimeouts, "get_timeouts"},
    {Op::GetDaemons, "get_daemons"}, {Op::GetConns, "get_conns"},
    {Op::AddLocalAddr, "add_local_addr"}, {Op::DelLocalAddr, "del_local_addr"},
    {Op::GetLocalAddrs, "get_local_addrs"}, {Op::SetSysctl, "set_sysctl"},
    {Op::GetSysctls, "get_sysctls"},
}};

constexpr std::array<std::pair<ipvs::Fwd, std::string_view>, 6> kFwds = {{
    {ipvs::Fwd::Masq, "masq"}, {ipvs::Fwd::Local, "local"}, {ipvs::Fwd::Tunnel, "tunnel"},
    {ipvs::Fwd::Route, "route"}, {ipvs::Fwd::Bypass, "bypass"}, {ipvs::Fwd::FullNat, "fullnat"},
}};

constexpr std::array<std::pair<ipvs::TunType, std::string_view>, 3> kTunTypes = {{
    {ipvs::TunType::Ipip, "ipip"}, {ipvs::TunType::Gue, "gue"}, {ipvs::TunType::Gre, "gre"},
}};

constexpr std::array<std::pair<ipvs::ClientAddr, std::string_view>, 4> kClientAddrs = {{
    {ipvs::ClientAddr::None, "none"}, {ipvs::ClientAddr::Toa, "toa"},
    {ipvs::ClientAddr::ProxyV1, "proxy_v1"}, {ipvs::ClientAddr::ProxyV2, "proxy_v2"},
}};

constexpr std::array<std::pair<uint32_t, std::string_view>, 6> kSvcFlags = {{
    {ipvs::svc_flag::kPersistent, "persistent"}, {0x0002, "hashed"},
    {ipvs::svc_flag::kOnePacket, "one_packet"}, {ipvs::svc_flag::kSched1, "sched_flag_1"},
    {ipvs::svc_flag::kSched2, "sched_flag_2"}, {ipvs::svc_flag::kSched3, "sched_flag_3"},
}};

template <class E, size_t N>
E enum_from(const std::array<std::pair<E, std::string_view>, N>& table, const json& v,
            const std::string& what) {
  if (!v.is_string()) bad(what + ": expected a string");
  for (auto& [e, name] : table)
    if (name == v.get_ref<const std::string&>()) return e;
  std::string names;
  for (auto& [e, name] : table) names += (names.empty() ? "" : ", ") + std::string(name);
  bad(what + ": unknown value \"" + v.get<std::string>() + "\" (one of: " + names + ")");
}

template <class E, size_t N>
std::string_view enum_name(const std::array<std::pair<E, std::string_view>, N>& table, E e) {
  for (auto& [x, name] : table)
    if (x == e) return name;
  return "unknown";
}

// Reads one JSON object field by field, rejecting fields it was not told about.
class Obj {
 public:
  Obj(const json& j, std::string what, std::initializer_list<std::string_view> allowed)
      : j_(j), what_(std::move(what)) {
    if (!j.is_object()) bad(what_ + ": expected an object");
    for (auto& [k, v] : j.items()) {
      bool known = false;
      for (auto a : allowed) known |= (a == k);
      if (!known) bad(what_ + ": unknown field \"" + k + "\"");
    }
  }

  const json* get(const char* name) const {
    auto it = j_.find(name);
    return it == j_.end() ? nullptr : &*it;
  }
  const json& need(const char* name) const {
    if (auto* v = get(name)) return *v;
    bad(what_ + ": missing field \"" + name + "\"");
  }
  std::string path(const char* name) const { return what_ + "." + name; }

  template <class T>
  void uint(const char* name, T& out, uint64_t max = std::numeric_limits<T>::max()) const {
    if (auto* v = get(name)) {
      if (!v->is_number_unsigned() || v->get<uint64_t>() > max)
        bad(path(name) + ": expected an integer 0.." + std::to_string(max));
      out = static_cast<T>(v->get<uint64_t>());
    }
  }
  void int32(const char* name, int32_t& out) const {
    if (auto* v = get(name)) {
      if (!v->is_number_integer() || v->get<int64_t>() < std::numeric_limits<int32_t>::min() ||
          v->get<int64_t>() > std::numeric_limits<int32_t>::max())
        bad(path(name) + ": expected a 32-bit integer");
      out = static_cast<int32_t>(v->get<int64_t>());
    }
  }
  void str(const char* name, std::string& out) const {
    if (auto* v = get(name)) {
      if (!v->is_string()) bad(path(name) + ": expected a string");
      out = v->get<std::string>();
    }
  }
  void boolean(const char* name, bool& out) const {
    if (auto* v = get(name)) {
      if (!v->is_boolean()) bad(path(name) + ": expected true or false");
      out = v->get<bool>();
    }
  }

 private:
  const json& j_;
  std::string what_;
};

// ---- small parts ----

uint8_t protocol_from(const json& v, const std::string& what) {
  if (v.is_number_unsigned() && v.get<uint64_t>() <= 255) return uint8_t(v.get<uint64_t>());
  if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    if (s == "tcp") return ipvs::proto::kTcp;
    if (s == "udp") return ipvs::proto::kUdp;
    if (s == "sctp") return ipvs::proto::kSctp;
    if (s == "ip") return 0;
  }
  bad(what + ": expected \"tcp\", \"udp\", \"sctp\", \"ip\" or a protocol number");
}

net::Addr addr_from(const json& v, const std::string& what) {
  if (v.is_string())
    if (auto a = net::Addr::parse(v.get_ref<const std::string&>())) return *a;
  bad(what + ": expected an IPv4 or IPv6 address (\"10.0.0.1\", \"2001:db8::1\")");
}

net::Endpoint endpoint_from(const json& v, const std::string& what) {
  if (v.is_string())
    if (auto e = net::Endpoint::parse(v.get_ref<const std::string&>())) return *e;
  bad(what + ": expected an address[:port] (\"10.0.0.1:80\", \"[2001:db8::1]:80\")");
}

net::Family family_from(const json& v, const std::string& what) {
  if (v == "ipv4") return net::Family::V4;
  if (v == "ipv6") return net::Family::V6;
  bad(what + ": expected \"ipv4\" or \"ipv6\"");
}

std::string_view family_name(net::Family f) { return f == net::Family::V6 ? "ipv6" : "ipv4"; }

net::Family key_family(const ipvs::ServiceKey& k) {
  return k.is_fwmark() ? k.family : k.addr.family;
}

json counters_json(const ipvs::Counters& c) {
  return {{"conns", c.conns}, {"inpkts", c.inpkts}, {"outpkts", c.outpkts},
          {"inbytes", c.inbytes}, {"outbytes", c.outbytes}};
}

ipvs::Counters counters_from(const json& j, const std::string& what) {
  Obj o(j, what, {"conns", "inpkts", "outpkts", "inbytes", "outbytes"});
  ipvs::Counters c;
  o.uint("conns", c.conns);
  o.uint("inpkts", c.inpkts);
  o.uint("outpkts", c.outpkts);
  o.uint("inbytes", c.inbytes);
  o.uint("outbytes", c.outbytes);
  return c;
}

json rates_json(const ipvs::Rates& r) {
  return {{"cps", r.cps}, {"inpps", r.inpps}, {"outpps", r.outpps},
          {"inbps", r.inbps}, {"outbps", r.outbps}};
}

ipvs::Rates rates_from(const json& j, const std::string& what) {
  Obj o(j, what, {"cps", "inpps", "outpps", "inbps", "outbps"});
  ipvs::Rates r;
  o.uint("cps", r.cps);
  o.uint("inpps", r.inpps);
  o.uint("outpps", r.outpps);
  o.uint("inbps", r.inbps);
  o.uint("outbps", r.outbps);
  return r;
}

json flags_json(uint32_t flags) {
  json a = json::array();
  for (auto& [bit, name] : kSvcFlags)
    if (flags & bit) {
      a.push_back(name);
      flags &= ~bit;
    }
  for (uint32_t bit = 1; bit; bit <<= 1)  // bits without a name travel as numbers
    if (flags & bit) a.push_back(bit);
  return a;
}

uint32_t flags_from(const json& v, const std::string& what) {
  if (!v.is_array()) bad(what + ": expected an array of flag names");
  uint32_t flags = 0;
  for (auto& f : v) {
    if (f.is_number_unsigned() && f.get<uint64_t>() <= 0xFFFFFFFFu) {
      flags |= uint32_t(f.get<uint64_t>());
      continue;
    }
    flags |= enum_from(kSvcFlags, f, what);
  }
  return flags;
}

json timeouts_json(const Timeouts& t) {
  return {{"tcp", t.tcp}, {"tcpfin", t.tcpfin}, {"udp", t.udp}};
}

Timeouts timeouts_from(const json& j, const std::string& what) {
  Obj o(j, what, {"tcp", "tcpfin", "udp"});
  Timeouts t;
  o.uint("tcp", t.tcp);
  o.uint("tcpfin", t.tcpfin);
  o.uint("udp", t.udp);
  return t;
}

json daemon_json(const SyncDaemon& d) {
  return {{"state", d.state},           {"mcast_ifn", d.mcast_ifn},
          {"syncid", d.syncid},         {"sync_maxlen", d.sync_maxlen},
          {"mcast_group", d.mcast_group}, {"mcast_port", d.mcast_port},
          {"mcast_ttl", d.mcast_ttl}};
}

SyncDaemon daemon_from(const json& j, const std::string& what) {
  Obj o(j, what,
        {"state", "mcast_ifn", "syncid", "sync_maxlen", "mcast_group", "mcast_port", "mcast_ttl"});
  SyncDaemon d;
  o.str("state", d.state);
  if (d.state != "master" && d.state != "backup")
    bad(o.path("state") + ": expected \"master\" or \"backup\"");
  o.str("mcast_ifn", d.mcast_ifn);
  o.uint("syncid", d.syncid);
  o.uint("sync_maxlen", d.sync_maxlen);
  o.str("mcast_group", d.mcast_group);
  o.uint("mcast_port", d.mcast_port);
  o.uint("mcast_ttl", d.mcast_ttl);
  return d;
}

json sysctl_json(const SysctlEntry& s, bool with_value = true) {
  json j = {{"name", s.name}};
  if (with_value) j["value"] = s.value;
  return j;
}

// A value is the text written to the /proc file; a JSON integer is taken as its decimal text.
SysctlEntry sysctl_from(const json& j, const std::string& what, bool with_value) {
  Obj o(j, what, {"name", "value"});
  SysctlEntry s;
  const json& name = o.need("name");
  if (!name.is_string() || name.get_ref<const std::string&>().empty())
    bad(o.path("name") + ": expected a sysctl name (\"sloppy_tcp\")");
  s.name = name.get<std::string>();
  if (!with_value) {
    if (o.get("value")) bad(o.path("value") + ": only set_sysctl takes a value");
    return s;
  }
  const json& v = o.need("value");
  if (v.is_string())
    s.value = v.get<std::string>();
  else if (v.is_number_integer())
    s.value = v.dump();
  else
    bad(o.path("value") + ": expected a string (the file's text) or an integer");
  return s;
}

json dest_info_json(const DestInfo& d) {
  return {{"config", to_json(d.cfg)},        {"activeconns", d.activeconns},
          {"inactconns", d.inactconns},      {"persistconns", d.persistconns},
          {"stats", counters_json(d.stats)}, {"rates", rates_json(d.rates)}};
}

DestInfo dest_info_from(const json& j, const std::string& what) {
  Obj o(j, what, {"config", "activeconns", "inactconns", "persistconns", "stats", "rates"});
  DestInfo d;
  d.cfg = dest_from_json(o.need("config"));
  o.uint("activeconns", d.activeconns);
  o.uint("inactconns", d.inactconns);
  o.uint("persistconns", d.persistconns);
  if (auto* v = o.get("stats")) d.stats = counters_from(*v, o.path("stats"));
  if (auto* v = o.get("rates")) d.rates = rates_from(*v, o.path("rates"));
  return d;
}

json service_info_json(const ServiceInfo& s) {
  json dests = json::array();
  for (auto& d : s.dests) dests.push_back(dest_info_json(d));
  return {{"config", to_json(s.cfg)},
          {"stats", counters_json(s.stats)},
          {"rates", rates_json(s.rates)},
          {"dests", std::move(dests)}};
}

ServiceInfo service_info_from(const json& j, const std::string& what) {
  Obj o(j, what, {"config", "stats", "rates", "dests"});
  ServiceInfo s;
  s.cfg = service_from_json(o.need("config"));
  if (auto* v = o.get("stats")) s.stats = counters_from(*v, o.path("stats"));
  if (auto* v = o.get("rates")) s.rates = rates_from(*v, o.path("rates"));
  if (auto* v = o.get("dests")) {
    if (!v->is_array()) bad(o.path("dests") + ": expected an array");
    for (auto& d : *v) s.dests.push_back(dest_info_from(d, o.path("dests[]")));
  }
  return s;
}

json conn_json(const ConnInfo& c) {
  return {{"protocol", protocol_name(c.protocol)}, {"state", c.state},
          {"expires", c.expires_s},                {"client", c.client.str()},
          {"vip", c.vip.str()},                    {"real", c.real.str()},
          {"template", c.is_template}};
}

ConnInfo conn_from(const json& j, const std::string& what) {
  Obj o(j, what, {"protocol", "state", "expires", "client", "vip", "real", "template"});
  ConnInfo c;
  if (auto* v = o.get("protocol")) c.protocol = protocol_from(*v, o.path("protocol"));
  o.str("state", c.state);
  o.uint("expires", c.expires_s);
  if (auto* v = o.get("client")) c.client = endpoint_from(*v, o.path("client"));
  if (auto* v = o.get("vip")) c.vip = endpoint_from(*v, o.path("vip"));
  if (auto* v = o.get("real")) c.real = endpoint_from(*v, o.path("real"));
  o.boolean("template", c.is_template);
  return c;
}

void check_version(const Obj& o) {
  const json& v = o.need("version");
  if (!v.is_number_integer()) bad("version: expected an integer");
  if (v.get<int64_t>() != kApiVersion)
    bad("unsupported API version " + v.dump() + " (this ulvs speaks version " +
        std::to_string(kApiVersion) + ")");
}

bool needs_key(Op op) {
  return op == Op::DelService || op == Op::AddDest || op == Op::EditDest || op == Op::DelDest;
}
bool needs_service(Op op) { return op == Op::AddService || op == Op::EditService; }
bool needs_dest(Op op) { return op == Op::AddDest || op == Op::EditDest || op == Op::DelDest; }
bool needs_daemon(Op op) { return op == Op::StartDaemon || op == Op::StopDaemon; }
bool needs_local_addr(Op op) { return op == Op::AddLocalAddr || op == Op::DelLocalAddr; }

json parse_line(std::string_view line) {
  try {
    return json::parse(line);
  } catch (const json::parse_error& e) {
    bad(std::string("malformed JSON: ") + e.what());
  }
}

}  // namespace

// ---- names ----

std::string_view op_name(Op op) { return enum_name(kOps, op); }

std::optional<Op> op_from_name(std::string_view name) {
  for (auto& [op, n] : kOps)
    if (n == name) return op;
  return std::nullopt;
}

std::string_view fwd_name(ipvs::Fwd f) { return enum_name(kFwds, f); }

std::string protocol_name(uint8_t p) {
  switch (p) {
    case 0: return "ip";
    case ipvs::proto::kTcp: return "tcp";
    case ipvs::proto::kUdp: return "udp";
    case ipvs::proto::kSctp: return "sctp";
  }
  return std::to_string(p);
}

// ---- service key, service, dest ----

json to_json(const ipvs::ServiceKey& k) {
  if (k.is_fwmark())
    return {{"fwmark", k.fwmark}, {"family", family_name(k.family)},
            {"protocol", protocol_name(k.protocol)}};
  return {{"protocol", protocol_name(k.protocol)}, {"addr", k.addr.str()}, {"port", k.port}};
}

ipvs::ServiceKey key_from_json(const json& j) {
  Obj o(j, "key", {"protocol", "addr", "port", "fwmark", "family"});
  ipvs::ServiceKey k;
  if (auto* v = o.get("protocol")) k.protocol = protocol_from(*v, o.path("protocol"));
  o.uint("fwmark", k.fwmark);
  if (k.fwmark) {
    if (o.get("addr") || o.get("port")) bad("key: a fwmark service has no addr or port");
    if (auto* v = o.get("family")) k.family = family_from(*v, o.path("family"));
    k.addr.family = k.family;
    return k;
  }
  k.addr = addr_from(o.need("addr"), o.path("addr"));
  k.family = k.addr.family;
  o.uint("port", k.port);
  if (auto* v = o.get("family"); v && family_from(*v, o.path("family")) != k.family)
    bad("key.family: does not match the address");
  return k;
}

json to_json(const ipvs::ServiceConfig& c) {
  json j = {{"key", to_json(c.key)},         {"scheduler", c.scheduler},
            {"flags", flags_json(c.flags)},  {"timeout", c.timeout_s},
            {"pe", c.pe_name},
            {"client_addr", enum_name(kClientAddrs, c.client_addr)}};
  if (key_family(c.key) == net::Family::V4)
    j["netmask"] = net::Addr::v4(c.netmask).str();
  else
    j["netmask"] = c.netmask;
  return j;
}

ipvs::ServiceConfig service_from_json(const json& j) {
  Obj o(j, "service", {"key", "scheduler", "flags", "timeout", "netmask", "pe", "client_addr"});
  ipvs::ServiceConfig c;
  c.key = key_from_json(o.need("key"));
  o.str("scheduler", c.scheduler);
  if (auto* v = o.get("flags")) c.flags = flags_from(*v, o.path("flags"));
  o.uint("timeout", c.timeout_s);
  // IPv6 persistence groups by prefix length, so its default is 128 rather than a /32 mask.
  c.netmask = key_family(c.key) == net::Family::V6 ? 128 : 0xFFFFFFFFu;
  if (auto* v = o.get("netmask")) {
    if (v->is_string()) {
      auto a = net::Addr::parse(v->get_ref<const std::string&>());
      if (!a || !a->is_v4()) bad("service.netmask: expected a dotted IPv4 mask or a number");
      c.netmask = a->v4_host();
    } else {
      o.uint("netmask", c.netmask);
    }
  }
  o.str("pe", c.pe_name);
  if (auto* v = o.get("client_addr"))
    c.client_addr = enum_from(kClientAddrs, *v, o.path("client_addr"));
  return c;
}

json to_json(const ipvs::DestConfig& d) {
  return {{"server", d.ep.str()},
          {"fwd", fwd_name(d.fwd)},
          {"weight", d.weight},
          {"u_threshold", d.u_threshold},
          {"l_threshold", d.l_threshold},
          {"tun_type", enum_name(kTunTypes, d.tun_type)},
          {"tun_port", d.tun_port},
          {"tun_flags", d.tun_flags}};
}

ipvs::DestConfig dest_from_json(const json& j) {
  Obj o(j, "dest",
        {"server", "fwd", "weight", "u_threshold", "l_threshold", "tun_type", "tun_port",
         "tun_flags"});
  ipvs::DestConfig d;
  d.ep = endpoint_from(o.need("server"), o.path("server"));
  if (auto* v = o.get("fwd")) d.fwd = enum_from(kFwds, *v, o.path("fwd"));
  o.int32("weight", d.weight);
  o.uint("u_threshold", d.u_threshold);
  o.uint("l_threshold", d.l_threshold);
  if (auto* v = o.get("tun_type")) d.tun_type = enum_from(kTunTypes, *v, o.path("tun_type"));
  o.uint("tun_port", d.tun_port);
  o.uint("tun_flags", d.tun_flags);
  return d;
}

// ---- request ----

json to_json(const Request& r) {
  json j = {{"version", r.version}, {"op", op_name(r.op)}};
  if (r.key) j["key"] = to_json(*r.key);
  if (needs_service(r.op)) j["service"] = to_json(r.service);
  if (needs_dest(r.op)) j["dest"] = to_json(r.dest);
  if (r.op == Op::SetTimeouts) j["timeouts"] = timeouts_json(r.timeouts);
  if (needs_daemon(r.op)) j["daemon"] = daemon_json(r.daemon);
  if (needs_local_addr(r.op)) j["local_addr"] = r.local_addr.str();
  if (r.op == Op::SetSysctl) j["sysctl"] = sysctl_json(r.sysctl);
  if (r.op == Op::GetSysctls && !r.sysctl.name.empty())
    j["sysctl"] = sysctl_json(r.sysctl, false);
  return j;
}

Request request_from_json(const json& j) {
  Obj o(j, "request",
        {"version", "op", "key", "service", "dest", "timeouts", "daemon", "local_addr",
         "sysctl"});
  check_version(o);
  Request r;
  const json& op = o.need("op");
  auto parsed = op.is_string() ? op_from_name(op.get_ref<const std::string&>()) : std::nullopt;
  if (!parsed) bad("unknown op " + op.dump());
  r.op = *parsed;
  std::string name(op_name(r.op));
  auto require = [&](bool needed, const char* field) {
    if (needed && !o.get(field)) bad(name + " needs \"" + field + "\"");
  };
  require(needs_key(r.op), "key");
  require(needs_service(r.op), "service");
  require(needs_dest(r.op), "dest");
  require(r.op == Op::SetTimeouts, "timeouts");
  require(needs_daemon(r.op), "daemon");
  require(needs_local_addr(r.op), "local_addr");
  require(r.op == Op::SetSysctl, "sysctl");
  if (auto* v = o.get("key")) r.key = key_from_json(*v);
  if (auto* v = o.get("service")) r.service = service_from_json(*v);
  if (auto* v = o.get("dest")) r.dest = dest_from_json(*v);
  if (auto* v = o.get("timeouts")) r.timeouts = timeouts_from(*v, "timeouts");
  if (auto* v = o.get("daemon")) r.daemon = daemon_from(*v, "daemon");
  if (auto* v = o.get("local_addr")) r.local_addr = addr_from(*v, "local_addr");
  if (auto* v = o.get("sysctl")) r.sysctl = sysctl_from(*v, "sysctl", r.op != Op::GetSysctls);
  return r;
}

// ---- reply ----

json to_json(const Reply& r) {
  json services = json::array(), daemons = json::array(), conns = json::array(),
       laddrs = json::array(), sysctls = json::array();
  for (auto& s : r.services) services.push_back(service_info_json(s));
  for (auto& a : r.local_addrs) laddrs.push_back(a.str());
  for (auto& d : r.daemons) daemons.push_back(daemon_json(d));
  for (auto& c : r.conns) conns.push_back(conn_json(c));
  for (auto& s : r.sysctls) sysctls.push_back(sysctl_json(s));
  return {{"version", r.version},
          {"error", r.error},
          {"message", r.message},
          {"info", {{"version", r.info.version}, {"conn_tab_size", r.info.conn_tab_size}}},
          {"services", std::move(services)},
          {"timeouts", timeouts_json(r.timeouts)},
          {"daemons", std::move(daemons)},
          {"conns", std::move(conns)},
          {"local_addrs", std::move(laddrs)},
          {"sysctls", std::move(sysctls)}};
}

static Reply reply_from_json(const json& j) {
  Obj o(j, "reply",
        {"version", "error", "message", "info", "services", "timeouts", "daemons", "conns",
         "local_addrs", "sysctls"});
  check_version(o);
  Reply r;
  if (auto* v = o.get("error")) {
    if (!v->is_number_integer() || v->get<int64_t>() > 0 || v->get<int64_t>() < -4095)
      bad("reply.error: expected 0 or a negative errno");
    r.error = int(v->get<int64_t>());
  }
  o.str("message", r.message);
  if (auto* v = o.get("info")) {
    Obj i(*v, "reply.info", {"version", "conn_tab_size"});
    i.str("version", r.info.version);
    i.uint("conn_tab_size", r.info.conn_tab_size);
  }
  auto array = [&](const char* name, auto&& each) {
    if (auto* v = o.get(name)) {
      if (!v->is_array()) bad(o.path(name) + ": expected an array");
      for (auto& e : *v) each(e, o.path(name) + "[]");
    }
  };
  array("services", [&](auto& e, auto w) { r.services.push_back(service_info_from(e, w)); });
  array("daemons", [&](auto& e, auto w) { r.daemons.push_back(daemon_from(e, w)); });
  array("conns", [&](auto& e, auto w) { r.conns.push_back(conn_from(e, w)); });
  array("local_addrs", [&](auto& e, auto w) { r.local_addrs.push_back(addr_from(e, w)); });
  array("sysctls", [&](auto& e, auto w) { r.sysctls.push_back(sysctl_from(e, w, true)); });
  if (auto* v = o.get("timeouts")) r.timeouts = timeouts_from(*v, "reply.timeouts");
  return r;
}

// ---- lines ----

// dump() escapes control characters inside strings, so a line never holds a raw newline;
// invalid UTF-8 (e.g. from a bad interface name) is replaced rather than thrown on.
static std::string one_line(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string encode(const Request& r) { return one_line(to_json(r)); }
std::string encode(const Reply& r) { return one_line(to_json(r)); }

std::optional<Request> decode_request(std::string_view line, std::string& error) {
  try {
    return request_from_json(parse_line(line));
  } catch (const std::exception& e) {
    error = e.what();
    return std::nullopt;
  }
}

std::optional<Reply> decode_reply(std::string_view line, std::string& error) {
  try {
    return reply_from_json(parse_line(line));
  } catch (const std::exception& e) {
    error = e.what();
    return std::nullopt;
  }
}

}  // namespace ulvs::ctl
