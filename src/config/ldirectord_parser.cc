// ldirectord_parser.cc — see ldirectord_parser.h.  One pass collects the globals and the
// virtual services as written; a second resolves ldirectord's defaults into the model.
#include "config/ldirectord_parser.h"

#include <arpa/inet.h>
#include <netdb.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "config/parse_values.h"

namespace ulvs::config {
namespace {

std::string trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

// "\"x\"" → "x"; anything else unchanged.
std::string unquote(const std::string& s) {
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') return s.substr(1, s.size() - 2);
  return s;
}

struct Fallback {
  Where where;
  net::Addr addr;
  uint16_t port = 0;  // 0: the virtual's
  ipvs::Fwd fwd = ipvs::Fwd::Route;
};

struct LdReal {
  RealServer rs;
  std::optional<std::string> request, receive;
};

struct LdVirtual {
  Where where;
  bool fwm = false;
  net::Family family = net::Family::V4;  // virtual= / virtual6= (also a fwmark's: -f MARK -6)
  VirtualKey key;
  std::string checktype = "negotiate";
  std::optional<std::string> service, protocol;
  std::string request = "/", receive, virtualhost, checkcommand = "/bin/true";
  std::optional<uint16_t> checkport;
  std::optional<int> checktimeout, negotiatetimeout, failurecount, checkinterval;
  std::optional<bool> quiescent;
  std::string scheduler = "wrr";
  std::optional<uint32_t> persistent;
  std::optional<net::Addr> netmask;
  bool ops = false;
  std::optional<Fallback> fallback;
  std::vector<LdReal> reals;
};

struct Globals {
  std::optional<int> checktimeout, negotiatetimeout;
  int checkinterval = 10, failurecount = 1;
  bool quiescent = false;
  std::optional<Fallback> fallback, fallback6;  // fallback= serves virtual=, fallback6= virtual6=
};

struct Ctx {
  std::string file;
  Diagnostics& diag;
  bool failed = false;
  Where at(int line) const { return {file, line}; }
  void error(int line, const std::string& m) {
    diag.push_back({Diagnostic::Error, at(line), m});
    failed = true;
  }
  void warn(int line, const std::string& m) { diag.push_back({Diagnostic::Warning, at(line), m}); }
};

// A port: a number 1..65535 or a service name (getservbyname); nullopt otherwise.
std::optional<uint16_t> port_of(const std::string& s, const char* proto) {
  if (s.empty()) return std::nullopt;
  if (std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); }))
    return parse_port(s);
  if (servent* se = getservbyname(s.c_str(), proto)) return ntohs(static_cast<uint16_t>(se->s_port));
  if (servent* se = getservbyname(s.c_str(), nullptr)) return ntohs(static_cast<uint16_t>(se->s_port));
  return std::nullopt;
}

// An address of the virtual's family.  ldirectord resolves each with getaddrinfo(AF_INET or
// AF_INET6), so 10.0.0.1 is no IPv6 address nor [::1] an IPv4 one; brackets are dropped
// first (its ld_gethostbyname does that for either family).
std::optional<net::Addr> addr_of(const std::string& s, net::Family family) {
  auto a = parse_addr(s);
  if (!a || a->family != family) return std::nullopt;
  return a;
}

// An address as ldirectord hands it to a check command: IPv6 in brackets, as it keeps them.
std::string ld_host(const net::Addr& a) { return a.is_v6() ? "[" + a.str() + "]" : a.str(); }

// netmask=: IPv4 a dotted quad; IPv6 a prefix length 1..128 (ipvsadm -M 64), kept as the
// mask it stands for, as the model's persistence_granularity holds keepalived's.
std::optional<net::Addr> netmask_of(const std::string& s, net::Family family) {
  if (family == net::Family::V4) {
    auto a = net::Addr::parse(s);
    return a && a->is_v4() ? a : std::nullopt;
  }
  auto bits = parse_int(s, 1, 128);
  if (!bits) return std::nullopt;
  net::Addr m;
  m.family = net::Family::V6;
  for (int i = 0; i < *bits; ++i) m.bytes[i / 8] |= uint8_t(0x80 >> (i % 8));
  return m;
}

std::optional<ipvs::Fwd> fwd_of(const std::string& s) {
  if (s == "gate") return ipvs::Fwd::Route;
  if (s == "masq") return ipvs::Fwd::Masq;
  if (s == "ipip") return ipvs::Fwd::Tunnel;
  return std::nullopt;
}

// A positive integer (ldirectord: `\d+` and non-zero).
std::optional<int> positive(const std::string& s) {
  auto n = parse_int(s, 1, 1000000000);
  return n ? std::optional<int>(static_cast<int>(*n)) : std::nullopt;
}

std::optional<bool> yes_no(const std::string& s) {
  if (s == "yes") return true;
  if (s == "no") return false;
  return std::nullopt;
}

// fallback=IP[:PORT] [gate|masq|ipip], fallback6=[IPv6][:PORT] [gate|masq|ipip].  As
// ldirectord, a trailing ":PORT" is split off and the rest is the host: an IPv6 address
// needs its brackets, or its last group is taken for a port.
std::optional<Fallback> parse_fallback(Ctx& ctx, int line, const std::string& v, net::Family family) {
  std::istringstream in(v);
  std::string hp, method, extra;
  in >> hp >> method >> extra;
  Fallback f;
  f.where = ctx.at(line);
  static const std::regex with_port(R"(^(.*):([A-Za-z0-9_-]+)$)");
  std::smatch hm;
  std::string host = hp, port;
  if (std::regex_match(hp, hm, with_port)) host = hm[1], port = hm[2];
  auto a = addr_of(host, family);
  if (!a) {
    ctx.error(line, "invalid fallback server address '" + host + "'" +
                        (family == net::Family::V6 ? " (IPv6 in brackets: [2001:db8::1]:80)" : ""));
    return std::nullopt;
  }
  f.addr = *a;
  if (!port.empty()) {
    auto p = port_of(port, "tcp");
    if (!p) { ctx.error(line, "invalid port for fallback server '" + port + "'"); return std::nullopt; }
    f.port = *p;
  }
  if (!method.empty()) {
    auto m = fwd_of(method);
    if (!m) { ctx.error(line, "forward method must be gate, masq or ipip"); return std::nullopt; }
    f.fwd = *m;
  }
  if (!extra.empty()) { ctx.error(line, "invalid fallback server: " + v); return std::nullopt; }
  return f;
}

// One real server more, unless the virtual has it already.
bool add_real(Ctx& ctx, int line, LdVirtual& vs, LdReal r, net::Endpoint ep) {
  r.rs.ep = ep;
  for (const auto& o : vs.reals)
    if (o.rs.ep == ep) {
      ctx.error(line, "duplicate real server " + ep.str());
      return false;
    }
  vs.reals.push_back(std::move(r));
  return true;
}

// real=IP[->IP2][:PORT] gate|masq|ipip [WEIGHT] ["REQUEST" "RECEIVE"] [l:N] [u:N]
// real6=[IPv6][:PORT] ... the same (ldirectord has no IPv6 ranges)
bool parse_real(Ctx& ctx, int line, const std::string& v, LdVirtual& vs) {
  // An IPv4 dotted quad or an IPv6 address in brackets, as ldirectord's own pattern.
  static const std::regex re(
      R"re(^(\d+\.\d+\.\d+\.\d+|\[[0-9A-Fa-f:]+\])(->(\d+\.\d+\.\d+\.\d+|\[[0-9A-Fa-f:]+\]))?)re"
      R"re((:([A-Za-z0-9_-]+))?\s+(gate|masq|ipip)\b(\s+(\d+))?)re"
      R"re((\s+"([^"]*)"[ ,]\s*"([^"]*)")?(\s+l:(\d+))?(\s+u:(\d+))?\s*$)re");
  const bool six = vs.family == net::Family::V6;
  std::smatch m;
  if (!std::regex_match(v, m, re)) {
    ctx.error(line, "invalid real server '" + v + "' (" + (six ? "[IPv6]" : "IP") +
                        "[:PORT] gate|masq|ipip [WEIGHT] [\"REQUEST\" \"RECEIVE\"])");
    return false;
  }
  if (six && m[3].matched) {
    ctx.error(line, "an address range is IPv4 only (ldirectord: not supported for IPv6)");
    return false;
  }
  auto first = addr_of(m[1], vs.family);
  auto last = m[3].matched ? addr_of(m[3], vs.family) : first;
  if (!first || !last || *last < *first) {
    ctx.error(line, std::string("invalid ") + (six ? "IPv6 " : "") + "address or range for real server");
    return false;
  }
  uint16_t port = vs.fwm ? 0 : vs.key.ep.port;
  if (m[5].matched) {
    auto p = port_of(m[5], "tcp");
    if (!p) { ctx.error(line, "invalid port (" + m[5].str() + ") for real server"); return false; }
    port = *p;
  }
  LdReal r;
  r.rs.where = ctx.at(line);
  r.rs.fwd = *fwd_of(m[6]);
  if (m[8].matched) {
    auto w = parse_int(m[8].str(), 0, 65535);
    if (!w) { ctx.error(line, "weight out of range (0..65535)"); return false; }
    r.rs.weight = static_cast<int32_t>(*w);
  }
  if (m[9].matched) {
    std::string req = m[10];
    r.request = req.empty() || req[0] != '/' ? "/" + req : req;
    r.receive = m[11];
  }
  if (m[13].matched) r.rs.lthreshold = static_cast<uint32_t>(std::stoul(m[13]));
  if (m[15].matched) r.rs.uthreshold = static_cast<uint32_t>(std::stoul(m[15]));
  if (six) return add_real(ctx, line, vs, r, {*first, port});
  for (uint32_t ip = first->v4_host(); ip <= last->v4_host(); ++ip) {
    if (!add_real(ctx, line, vs, r, {net::Addr::v4(ip), port})) return false;
    if (ip == 0xffffffffu) break;
  }
  return true;
}

// virtual=IP:PORT | MARK, virtual6=[IPv6]:PORT | MARK (an IPv6 fwmark service)
std::optional<LdVirtual> parse_virtual(Ctx& ctx, int line, const std::string& v, net::Family family) {
  LdVirtual vs;
  vs.where = ctx.at(line);
  vs.family = family;
  const bool six = family == net::Family::V6;
  static const std::regex ipport(R"(^(\d+\.\d+\.\d+\.\d+):([A-Za-z0-9_-]+)$)");
  static const std::regex ip6port(R"(^\[([0-9A-Fa-f:]+)\]:([A-Za-z0-9_-]+)$)");
  std::smatch m;
  if (std::regex_match(v, m, six ? ip6port : ipport)) {
    auto a = addr_of(m[1], family);
    auto p = port_of(m[2], "tcp");
    if (!a || !p) { ctx.error(line, "invalid address for virtual server '" + v + "'"); return std::nullopt; }
    vs.key.ep = {*a, *p};
    vs.key.protocol = *p == 53 ? ipvs::proto::kUdp : ipvs::proto::kTcp;
  } else if (!v.empty() && std::all_of(v.begin(), v.end(), [](unsigned char c) { return std::isdigit(c); })) {
    auto mark = parse_int(v, 1, 0xffffffffLL);
    if (!mark) { ctx.error(line, "invalid firewall mark '" + v + "'"); return std::nullopt; }
    vs.fwm = true;
    vs.key.fwmark = static_cast<uint32_t>(*mark);
    vs.key.family = family;
    vs.service = "none";
  } else if (!six && std::regex_match(v, m, ip6port)) {
    ctx.error(line, "an IPv6 virtual server is written virtual6=" + v);
    return std::nullopt;
  } else {
    ctx.error(line, "invalid address for virtual server '" + v + "' (" + (six ? "[IPv6]:PORT" : "IP:PORT") +
                        " or a firewall mark)");
    return std::nullopt;
  }
  return vs;
}

const std::set<std::string>& services() {
  static const std::set<std::string> s = {"dns",  "ftp",    "http",  "https",  "http_proxy", "imap",  "imaps",
                                          "ldap", "ldaps",  "nntp",  "mysql",  "none",       "oracle", "pop",
                                          "pops", "radius", "pgsql", "sip",    "smtp",       "submission",
                                          "simpletcp"};
  return s;
}

std::string port_to_service(uint16_t port) {
  static const std::map<uint16_t, std::string> m = {
      {21, "ftp"},   {25, "smtp"},    {53, "dns"},   {80, "http"},    {110, "pop"},   {119, "nntp"},
      {143, "imap"}, {389, "ldap"},   {443, "https"}, {587, "submission"}, {636, "ldaps"}, {995, "pops"},
      {993, "imaps"}, {1521, "oracle"}, {1812, "radius"}, {3128, "http_proxy"}, {3306, "mysql"},
      {5060, "sip"}, {5432, "pgsql"}};
  auto it = m.find(port);
  return it == m.end() ? "none" : it->second;
}

uint16_t service_to_port(const std::string& s) {
  for (uint32_t p = 1; p < 65536; ++p)
    if (port_to_service(static_cast<uint16_t>(p)) == s) return static_cast<uint16_t>(p);
  return 0;
}

// Settings ldirectord accepts that have no effect in ulvs (no diagnostic).
bool is_inert_global(const std::string& k) {
  static const std::set<std::string> s = {"autoreload", "callback",  "logfile",        "execute",
                                          "fork",       "supervised", "readdquiescent", "cleanstop",
                                          "emailalertfreq", "emailalertstatus", "emailalertfrom",
                                          "smtp", "maintenancedir", "fallbackcommand", "checkcount"};
  return s.count(k) > 0;
}
bool is_inert_virtual(const std::string& k) {
  static const std::set<std::string> s = {"login",     "passwd",          "database",    "secret",
                                          "load",      "httpmethod",      "emailalertfreq", "emailalertstatus",
                                          "monitorfile", "cleanstop",     "smtp",        "servicename",
                                          "comment",   "fallbackcommand", "checkcount",  "schedflags"};
  return s.count(k) > 0;
}

// Settings both the global section and a virtual may carry; false: not one of them.
bool common_setting(Ctx& ctx, int line, const std::string& k, const std::string& v,
                    std::optional<int>& checktimeout, std::optional<int>& negotiatetimeout,
                    std::optional<int>& checkinterval, std::optional<int>& failurecount,
                    std::optional<bool>& quiescent, KeepalivedConfig& cfg) {
  auto num = [&](std::optional<int>& dst, const char* what) {
    auto n = positive(v);
    if (!n) ctx.error(line, std::string("invalid ") + what + " '" + v + "' (a positive number)");
    else dst = *n;
  };
  if (k == "checktimeout") num(checktimeout, "check timeout");
  else if (k == "negotiatetimeout") num(negotiatetimeout, "negotiate timeout");
  else if (k == "connecttimeout") {
    num(checktimeout, "connect timeout");
    negotiatetimeout = checktimeout;
    ctx.warn(line, "connecttimeout is deprecated (ldirectord refuses it): taken as checktimeout and negotiatetimeout");
  } else if (k == "checkinterval") num(checkinterval, "check interval");
  else if (k == "failurecount") num(failurecount, "failure count");
  else if (k == "quiescent") {
    auto b = yes_no(v);
    if (!b) ctx.error(line, "quiescent must be 'yes' or 'no'");
    else quiescent = *b;
  } else if (k == "emailalert") {
    std::string a = unquote(v);
    if (a.empty()) ctx.error(line, "no email address specified");
    else cfg.global.notification_email.push_back(a);
  } else {
    return false;
  }
  return true;
}

// ldirectord ties real= / fallback= to virtual= and real6= / fallback6= to virtual6=.
bool family_matches(Ctx& ctx, int line, const std::string& k, const LdVirtual& vs) {
  const bool six = k.back() == '6';
  if (six == (vs.family == net::Family::V6)) return true;
  const std::string base = six ? k.substr(0, k.size() - 1) : k;
  ctx.error(line, "cannot use " + k + "= under " + (six ? "virtual=" : "virtual6=") + ": write " + base +
                      (six ? "" : "6") + "=");
  return false;
}

void virtual_setting(Ctx& ctx, int line, const std::string& k, const std::string& raw, LdVirtual& vs,
                     KeepalivedConfig& cfg) {
  const std::string v = raw;
  if (k == "real" || k == "real6") {
    if (family_matches(ctx, line, k, vs)) parse_real(ctx, line, v, vs);
    return;
  }
  if (k == "fallback" || k == "fallback6") {
    if (!family_matches(ctx, line, k, vs)) return;
    if (auto f = parse_fallback(ctx, line, v, vs.family)) vs.fallback = *f;
    return;
  }
  if (common_setting(ctx, line, k, v, vs.checktimeout, vs.negotiatetimeout, vs.checkinterval, vs.failurecount,
                     vs.quiescent, cfg))
    return;
  if (k == "request") {
    std::string r = unquote(v);
    if (r.empty()) { ctx.error(line, "no request string specified"); return; }
    vs.request = r[0] == '/' ? r : "/" + r;
  } else if (k == "receive") {
    std::string r = unquote(v);
    if (r.empty()) { ctx.error(line, "invalid receive string"); return; }
    vs.receive = r;
  } else if (k == "virtualhost") {
    vs.virtualhost = unquote(v);
  } else if (k == "checktype") {
    static const std::set<std::string> types = {"connect", "negotiate", "ping", "off", "on", "external",
                                                "external-perl"};
    if (!v.empty() && std::all_of(v.begin(), v.end(), [](unsigned char c) { return std::isdigit(c); })) {
      vs.checktype = "combined";
      ctx.warn(line, "checktype=" + v + " (negotiate every " + v +
                         "th check, connect otherwise) is approximated by negotiating every time");
    } else if (types.count(v)) {
      vs.checktype = v;
    } else {
      ctx.error(line, "checktype must be connect, negotiate, on, off, ping, external, external-perl or a number");
    }
  } else if (k == "checkcommand") {
    std::string c = unquote(v);
    if (c.empty()) ctx.error(line, "invalid check command");
    else vs.checkcommand = c;
  } else if (k == "checkport") {
    auto p = parse_port(v);
    if (!p) ctx.error(line, "checkport must be in range 1..65535");
    else vs.checkport = *p;
  } else if (k == "scheduler") {
    if (v.empty() || !std::all_of(v.begin(), v.end(), [](unsigned char c) { return c >= 'a' && c <= 'z'; }))
      ctx.error(line, "invalid scheduler, should be only lowercase letters (a-z)");
    else vs.scheduler = v;
  } else if (k == "persistent") {
    auto n = parse_int(v, 0, 0xffffffffLL);
    if (!n) ctx.error(line, "invalid persistent timeout '" + v + "'");
    else vs.persistent = static_cast<uint32_t>(*n);
  } else if (k == "netmask") {
    auto a = netmask_of(v, vs.family);
    if (!a)
      ctx.error(line, vs.family == net::Family::V6 ? "invalid netmask: a prefix length between 1 and 128 is required"
                                                   : "invalid netmask: dotted quad notation is required");
    else vs.netmask = *a;
  } else if (k == "protocol") {
    if (vs.fwm ? v != "fwm" : (v != "tcp" && v != "udp"))
      ctx.error(line, vs.fwm ? "protocol must be fwm if the virtual service is a fwmark (a number)"
                             : "protocol must be tcp or udp if the virtual service is an address and port");
    else vs.protocol = v;
  } else if (k == "ops") {
    auto b = yes_no(v);
    if (!b) ctx.error(line, "ops must be 'yes' or 'no'");
    else vs.ops = *b;
  } else if (k == "service") {
    if (!services().count(v)) ctx.error(line, "unknown service '" + v + "'");
    else vs.service = v;
  } else if (is_inert_virtual(k)) {
    // accepted, no effect in ulvs
  } else {
    ctx.warn(line, "unknown keyword '" + k + "' in a virtual service (ignored)");
  }
}

std::optional<Checker> make_checker(Ctx& ctx, const LdVirtual& vs, const LdReal& r, const Globals& g,
                                    bool& drop_reals) {
  // ldirectord's timeouts: each is the other's default, then the globals, then 5 / 30 s.
  int ct = vs.checktimeout ? *vs.checktimeout
           : vs.negotiatetimeout ? *vs.negotiatetimeout
           : g.checktimeout ? *g.checktimeout
           : g.negotiatetimeout ? *g.negotiatetimeout : 5;
  int nt = vs.negotiatetimeout ? *vs.negotiatetimeout
           : vs.checktimeout ? *vs.checktimeout
           : g.negotiatetimeout ? *g.negotiatetimeout
           : g.checktimeout ? *g.checktimeout : 30;
  const bool udp = vs.key.protocol == ipvs::proto::kUdp;
  const std::string service = vs.service ? *vs.service : port_to_service(vs.key.ep.port);
  Checker c;
  c.where = r.rs.where;
  int interval = vs.checkinterval ? *vs.checkinterval : g.checkinterval;
  c.delay_loop = c.delay_before_retry = TimeMs(interval) * 1000;
  c.retry = (vs.failurecount ? *vs.failurecount : g.failurecount) - 1;
  c.connect_timeout = TimeMs(ct) * 1000;
  if (vs.checkport) c.connect_port = *vs.checkport;
  else if (r.rs.ep.port == 0) c.connect_port = service_to_port(service);
  auto connect_like = [&] { c.type = udp ? Checker::Ping : Checker::Tcp; };
  const std::string& t = vs.checktype;
  if (t == "on") return std::nullopt;
  if (t == "off") { drop_reals = true; return std::nullopt; }
  if (t == "ping") { c.type = Checker::Ping; return c; }
  if (t == "connect") { connect_like(); return c; }
  if (t == "external" || t == "external-perl") {
    c.type = Checker::Misc;
    c.misc_path.command = vs.checkcommand + " " + (vs.fwm ? std::to_string(vs.key.fwmark) : ld_host(vs.key.ep.addr)) +
                          " " + std::to_string(vs.key.ep.port) + " " + ld_host(r.rs.ep.addr) + " " +
                          std::to_string(r.rs.ep.port);
    c.misc_timeout = TimeMs(ct) * 1000;
    return c;
  }
  // negotiate / combined
  if (service == "none") return std::nullopt;
  c.connect_timeout = TimeMs(nt) * 1000;
  if (service == "http" || service == "https" || service == "http_proxy") {
    c.type = service == "https" ? Checker::Ssl : Checker::Http;
    UrlCheck u;
    u.path = r.request ? *r.request : vs.request;
    u.regex = r.receive ? *r.receive : vs.receive;
    if (u.regex.empty()) u.status = {{200, 299}};
    c.virtualhost = vs.virtualhost;
    c.urls.push_back(std::move(u));
    return c;
  }
  connect_like();
  c.connect_timeout = TimeMs(ct) * 1000;
  ctx.warn(vs.where.line, "service=" + service + ": ulvs negotiates http/https only; checked by connecting instead");
  return c;
}

std::optional<KeepalivedConfig> parse_lines(const std::string& text, const std::string& name, Diagnostics& diag) {
  Ctx ctx{name, diag};
  KeepalivedConfig cfg;
  Globals g;
  std::optional<int> gci, gfc;
  std::optional<bool> gq;
  std::vector<LdVirtual> virtuals;
  bool in_virtual = false;  // the current virtual= parsed (false also after a bad one)
  bool after_virtual = false;
  std::istringstream in(text);
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (auto h = line.find('#'); h != std::string::npos) line.erase(h);
    if (trim(line).empty()) continue;
    const bool indented = std::isspace(static_cast<unsigned char>(line[0]));
    std::string body = trim(line);
    auto eq = body.find('=');
    if (eq == std::string::npos) {
      if (body == "supervised" && !indented) continue;
      ctx.error(n, "expected KEYWORD=VALUE, got '" + body + "'");
      continue;
    }
    std::string k = trim(body.substr(0, eq)), v = trim(body.substr(eq + 1));
    if (indented && after_virtual) {
      if (in_virtual) virtual_setting(ctx, n, k, v, virtuals.back(), cfg);
      continue;
    }
    if (indented) { ctx.error(n, "'" + k + "' is indented but no virtual= precedes it"); continue; }
    if (k == "virtual" || k == "virtual6") {
      after_virtual = true;
      auto vs = parse_virtual(ctx, n, v, k == "virtual6" ? net::Family::V6 : net::Family::V4);
      in_virtual = vs.has_value();
      if (vs) virtuals.push_back(std::move(*vs));
      continue;
    }
    after_virtual = false;
    if (k == "fallback" || k == "fallback6") {
      const bool six = k == "fallback6";
      if (auto f = parse_fallback(ctx, n, v, six ? net::Family::V6 : net::Family::V4))
        (six ? g.fallback6 : g.fallback) = *f;
      continue;
    }
    if (common_setting(ctx, n, k, v, g.checktimeout, g.negotiatetimeout, gci, gfc, gq, cfg)) continue;
    if (k == "real" || k == "real6" || k == "scheduler" || k == "checktype" || k == "service" || k == "request" ||
        k == "receive")
      ctx.error(n, "'" + k + "' belongs to a virtual service: indent it under a virtual= line");
    else if (!is_inert_global(k))
      ctx.warn(n, "unknown keyword '" + k + "' (ignored)");
  }
  if (gci) g.checkinterval = *gci;
  if (gfc) g.failurecount = *gfc;
  if (gq) g.quiescent = *gq;

  std::set<std::pair<int, std::string>> seen;
  for (LdVirtual& vs : virtuals) {
    if (vs.protocol == "udp") vs.key.protocol = ipvs::proto::kUdp;
    if (vs.protocol == "tcp") vs.key.protocol = ipvs::proto::kTcp;
    // fwm 100 and fwm6 100 are two services (ipvsadm -f 100 / -f 100 -6).
    std::string id = vs.fwm ? (vs.family == net::Family::V6 ? "fwm6:" : "fwm:") + std::to_string(vs.key.fwmark)
                            : vs.key.ep.str();
    if (!seen.insert({vs.fwm ? 0 : vs.key.protocol, id}).second) {
      ctx.error(vs.where.line, "duplicate virtual server " + id);
      continue;
    }
    VirtualServer out;
    out.where = vs.where;
    out.keys.push_back(vs.key);
    out.scheduler = vs.scheduler;
    out.ops = vs.ops;
    if (vs.persistent) {
      out.persistence_timeout = *vs.persistent;
      out.persistence_granularity = vs.netmask;
    }
    out.delay_loop = TimeMs(vs.checkinterval ? *vs.checkinterval : g.checkinterval) * 1000;
    out.virtualhost = vs.virtualhost;
    out.fwmark_keeps_rs_port = true;  // ipvsadm -a -f N -r IP:PORT -g keeps PORT
    const bool quiescent = vs.quiescent ? *vs.quiescent : g.quiescent;
    bool drop_reals = false;
    for (const LdReal& r : vs.reals) {
      RealServer rs = r.rs;
      rs.inhibit_on_failure = quiescent;
      if (auto c = make_checker(ctx, vs, r, g, drop_reals)) rs.checkers.push_back(std::move(*c));
      out.real_servers.push_back(std::move(rs));
    }
    if (drop_reals) out.real_servers.clear();
    // A global fallback serves its family's virtuals but no fwmark's: ldirectord keeps it per
    // tcp / udp, finds none for "fwm" and its `ipvsadm -a -f N -r :0` fails.
    std::optional<Fallback> fb = vs.fallback;
    if (!fb && !vs.fwm) fb = vs.family == net::Family::V6 ? g.fallback6 : g.fallback;
    if (fb) {
      RealServer s;
      s.where = fb->where;
      s.ep = {fb->addr, fb->port ? fb->port : (vs.fwm ? uint16_t(0) : vs.key.ep.port)};
      s.fwd = fb->fwd;
      s.weight = 1;
      out.sorry_server = std::move(s);
    }
    cfg.virtual_servers.push_back(std::move(out));
  }
  if (ctx.failed) return std::nullopt;
  return cfg;
}

}  // namespace

std::optional<KeepalivedConfig> load_ldirectord(const std::string& path, Diagnostics& diag) {
  std::ifstream f(path);
  if (!f) {
    diag.push_back({Diagnostic::Error, {path, 0}, "cannot open " + path});
    return std::nullopt;
  }
  std::stringstream ss;
  ss << f.rdbuf();
  auto cfg = parse_lines(ss.str(), path, diag);
  if (cfg) cfg->files.push_back(path);
  return cfg;
}

std::optional<KeepalivedConfig> parse_ldirectord_text(const std::string& text, const std::string& name,
                                                      Diagnostics& diag) {
  return parse_lines(text, name, diag);
}

bool looks_like_ldirectord(const std::string& text) {
  static const std::regex re(R"((^|\n)[ \t]*virtual6?[ \t]*=)");
  return std::regex_search(text, re);
}

}  // namespace ulvs::config
