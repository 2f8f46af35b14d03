// format.cc — ipvsadm.c's print_title / print_service_entry / list_* in C++.
#include "cli/format.h"

#include <arpa/inet.h>

#include <cstdarg>
#include <cstdio>
#include <span>

#include "cli/inet.h"
#include "cli/options.h"
#include "cli/sort.h"

namespace ulvs::cli {

namespace {

using ipvs::Fwd;
namespace sf = ipvs::svc_flag;

// printf into a string: the column formats are ipvsadm's printf formats, kept verbatim.
[[gnu::format(printf, 1, 2)]] std::string strf(const char* f, ...) {
  va_list ap, ap2;
  va_start(ap, f);
  va_copy(ap2, ap);
  int n = std::vsnprintf(nullptr, 0, f, ap);
  va_end(ap);
  std::string s(size_t(n), '\0');
  std::vsnprintf(s.data(), size_t(n) + 1, f, ap2);
  va_end(ap2);
  return s;
}

const char* fwd_name(Fwd f) {
  switch (f) {
    case Fwd::Masq: return "Masq";
    case Fwd::Local: return "Local";
    case Fwd::Tunnel: return "Tunnel";
    case Fwd::Route: return "Route";
    case Fwd::FullNat: return "FullNat";  // ulvs
    default: return "(null)";            // what glibc prints for ipvsadm's NULL
  }
}

const char* fwd_switch(Fwd f) {
  switch (f) {
    case Fwd::Masq: return "-m";
    case Fwd::Tunnel: return "-i";
    case Fwd::FullNat: return "--fullnat";  // ulvs
    default: return "-g";                   // Route, and Local which -a cannot set
  }
}

const char* protocol_title(uint8_t p) {
  switch (p) {
    case ipvs::proto::kTcp: return "TCP";
    case ipvs::proto::kUdp: return "UDP";
    case ipvs::proto::kSctp: return "SCTP";
    default: return "?";
  }
}

const char* protocol_switch(uint8_t p) {
  switch (p) {
    case ipvs::proto::kTcp: return "-t";
    case ipvs::proto::kUdp: return "-u";
    case ipvs::proto::kSctp: return "--sctp-service";
    default: return "--xxx-service";
  }
}

constexpr const char* kTunNames[] = {"ipip", "gue", "gre"};
constexpr const char* kTunFlags[] = {"-c", "+c", "r+c"};
constexpr const char* kTunFlagOpts[] = {"--tun-nocsum", "--tun-csum", "--tun-remcsum"};

const char* tun_flag(const ipvs::DestConfig& d, const char* const* names) {
  return d.tun_flags < 3 ? names[d.tun_flags] : "";
}

// "sh-fallback,sh-port", "flag-1,flag-3", ... (only sh/mh names for sh/mh).
std::string sched_flags(const ipvs::ServiceConfig& s) {
  struct Name { uint32_t bit; const char* name; };
  static constexpr Name kSh[] = {{sf::kSched1, "sh-fallback"}, {sf::kSched2, "sh-port"}};
  static constexpr Name kMh[] = {{sf::kSched1, "mh-fallback"}, {sf::kSched2, "mh-port"}};
  static constexpr Name kAny[] = {
      {sf::kSched1, "flag-1"}, {sf::kSched2, "flag-2"}, {sf::kSched3, "flag-3"}};
  std::span<const Name> names = s.scheduler == "sh"   ? std::span<const Name>(kSh)
                                : s.scheduler == "mh" ? std::span<const Name>(kMh)
                                                      : std::span<const Name>(kAny);
  std::string out;
  for (const Name& n : names)
    if (s.flags & n.bit) out += out.empty() ? n.name : std::string(",") + n.name;
  return out;
}

bool has_sched_flags(const ipvs::ServiceConfig& s) {
  return s.flags & (sf::kSched1 | sf::kSched2 | sf::kSched3);
}

std::string ipv4_mask(uint32_t host_order) {
  in_addr a{htonl(host_order)};
  return inet_ntoa(a);
}

// The persistence mask, when it is not the family's default.
std::string mask_text(const ipvs::ServiceConfig& s) {
  if (s.key.family == net::Family::V4)
    return s.netmask != 0xFFFFFFFFu ? ipv4_mask(s.netmask) : "";
  return s.netmask != 128 ? std::to_string(s.netmask) : "";
}

// svc_name: "TCP  10.0.0.1:80" (IPv4 cut at 33), "FWM  1 IPv6", "-t 10.0.0.1:80", "-f 1 -6".
std::string service_name(const ipvs::ServiceConfig& s, unsigned format) {
  const auto& k = s.key;
  const bool rule = format & fmt::kRule;
  const bool v6 = k.family == net::Family::V6;
  // %d, not %u: Debian's 1.31 predates upstream's fix and prints mark 4294967295 as -1.
  if (k.fwmark)
    return strf(rule ? "-f %d%s" : "FWM  %d%s", int(k.fwmark),
                v6 ? (rule ? " -6" : " IPv6") : "");
  std::string v = addrport_name({k.addr, k.port}, k.protocol, format & fmt::kNumeric);
  if (rule) return std::string(protocol_switch(k.protocol)) + " " + v;
  std::string name = strf("%-4s %s", protocol_title(k.protocol), v.c_str());
  if (!v6 && name.size() > 33) name.resize(33);
  return name;
}

// ulvs's client-address conservation, appended to a service line only when set so that
// everything ipvsadm can configure prints exactly as ipvsadm prints it.
const char* client_addr_text(ipvs::ClientAddr c, bool rule) {
  switch (c) {
    case ipvs::ClientAddr::Toa: return rule ? " --toa" : " toa";
    case ipvs::ClientAddr::ProxyV1: return rule ? " --proxy-protocol v1" : " proxy-protocol v1";
    case ipvs::ClientAddr::ProxyV2: return rule ? " --proxy-protocol v2" : " proxy-protocol v2";
    default: return "";
  }
}

std::string rule_line(const ipvs::ServiceConfig& s, const std::string& name) {
  std::string out = "-A " + name + " -s " + s.scheduler;
  if (s.persistent()) {
    out += strf(" -p %u", s.timeout_s);
    if (std::string m = mask_text(s); !m.empty()) out += " -M " + m;
  }
  if (!s.pe_name.empty()) out += " --pe " + s.pe_name;
  if (s.flags & sf::kOnePacket) out += " -o";
  if (has_sched_flags(s)) out += " -b " + sched_flags(s);
  return out + client_addr_text(s.client_addr, true);
}

std::string plain_line(const ipvs::ServiceConfig& s, const std::string& name) {
  std::string out = name + " " + s.scheduler;
  if (has_sched_flags(s)) out += " (" + sched_flags(s) + ")";
  if (s.persistent()) {
    out += strf(" persistent %u", s.timeout_s);
    if (std::string m = mask_text(s); !m.empty()) out += " mask " + m;
    if (!s.pe_name.empty()) out += " pe " + s.pe_name;
  }
  if (s.flags & sf::kOnePacket) out += " ops";
  return out + client_addr_text(s.client_addr, false);
}

std::string five(const ipvs::Counters& c, unsigned format) {
  return format_largenum(c.conns, format) + format_largenum(c.inpkts, format) +
         format_largenum(c.outpkts, format) + format_largenum(c.inbytes, format) +
         format_largenum(c.outbytes, format);
}

std::string five(const ipvs::Rates& r, unsigned format) {
  return format_largenum(r.cps, format) + format_largenum(r.inpps, format) +
         format_largenum(r.outpps, format) + format_largenum(r.inbps, format) +
         format_largenum(r.outbps, format);
}

std::string service_line(const ctl::ServiceInfo& si, const std::string& name, unsigned format) {
  if (format & fmt::kRule) return rule_line(si.cfg, name);
  if (format & fmt::kStats) return strf("%-33s", name.c_str()) + five(si.stats, format);
  if (format & fmt::kRate) return strf("%-33s", name.c_str()) + five(si.rates, format);
  return plain_line(si.cfg, name);
}

std::string tunnel_info(const ipvs::DestConfig& d) {
  if (d.fwd != Fwd::Tunnel) return "n/a";
  switch (d.tun_type) {
    case ipvs::TunType::Ipip: return "ipip";
    case ipvs::TunType::Gue: return strf("gue:%d:%s", d.tun_port, tun_flag(d, kTunFlags));
    case ipvs::TunType::Gre: return strf("gre:%s", tun_flag(d, kTunFlags));
  }
  return "n/a";
}

std::string dest_rule(const std::string& svc, const std::string& dname,
                      const ipvs::DestConfig& d) {
  std::string out = strf("-a %s -r %s %s -w %d", svc.c_str(), dname.c_str(), fwd_switch(d.fwd),
                         d.weight);
  if (d.fwd != Fwd::Tunnel) return out;
  switch (d.tun_type) {
    case ipvs::TunType::Ipip: return out + " --tun-type ipip";
    case ipvs::TunType::Gue:
      return out + strf(" --tun-type gue --tun-port %d %s", d.tun_port, tun_flag(d, kTunFlagOpts));
    case ipvs::TunType::Gre: return out + " --tun-type gre " + tun_flag(d, kTunFlagOpts);
  }
  return out;
}

std::string dest_line(const ctl::DestInfo& di, const std::string& svc, uint8_t protocol,
                      unsigned format) {
  const ipvs::DestConfig& d = di.cfg;
  std::string dname = addrport_name(d.ep, protocol, format & fmt::kNumeric);
  if (format & fmt::kRule) return dest_rule(svc, dname, d);
  if (d.ep.addr.is_v4() && dname.size() > 28) dname.resize(28);
  const char* n = dname.c_str();
  if (format & fmt::kStats) return strf("  -> %-28s", n) + five(di.stats, format);
  if (format & fmt::kRate)
    return strf("  -> %-28s %8llu %8llu %8llu", n, (unsigned long long)di.rates.cps,
                (unsigned long long)di.rates.inpps, (unsigned long long)di.rates.outpps) +
           format_largenum(di.rates.inbps, format) + format_largenum(di.rates.outbps, format);
  if (format & fmt::kThresholds)
    return strf("  -> %-28s %-10u %-10u %-10u %-10u", n, d.u_threshold, d.l_threshold,
                di.activeconns, di.inactconns);
  if (format & fmt::kPersistentConn)
    return strf("  -> %-28s %-9u %-11u %-10u %-10u", n, unsigned(d.weight), di.persistconns,
                di.activeconns, di.inactconns);
  if (format & fmt::kTunInfo)
    return strf("  -> %-28s %-7s %-13s %-6d %-10u %-10u", n, fwd_name(d.fwd),
                tunnel_info(d).c_str(), d.weight, di.activeconns, di.inactconns);
  return strf("  -> %-28s %-7s %-6d %-10u %-10u", n, fwd_name(d.fwd), d.weight, di.activeconns,
              di.inactconns);
}

std::string title(unsigned format) {
  const char* kStatsTitle = "%-33s %8s %8s %8s %8s %8s\n  -> RemoteAddress:Port\n";
  const char* kProt = "Prot LocalAddress:Port";
  if (format & fmt::kStats)
    return strf(kStatsTitle, kProt, "Conns", "InPkts", "OutPkts", "InBytes", "OutBytes");
  if (format & fmt::kRate)
    return strf(kStatsTitle, kProt, "CPS", "InPPS", "OutPPS", "InBPS", "OutBPS");
  if (format & fmt::kThresholds)
    return strf("%-33s %-10s %-10s %-10s %-10s\n  -> RemoteAddress:Port\n", kProt, "Uthreshold",
                "Lthreshold", "ActiveConn", "InActConn");
  if (format & fmt::kPersistentConn)
    return strf("%-33s %-9s %-11s %-10s %-10s\n  -> RemoteAddress:Port\n", kProt, "Weight",
                "PersistConn", "ActiveConn", "InActConn");
  if (format & fmt::kTunInfo)
    return "Prot LocalAddress:Port Scheduler Flags\n"
           "  -> RemoteAddress:Port           Forward TunnelInfo    Weight ActiveConn "
           "InActConn\n";
  if (format & fmt::kRule) return "";
  return "Prot LocalAddress:Port Scheduler Flags\n"
         "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n";
}

std::string service_entry(const ctl::ServiceInfo& si, unsigned format) {
  const std::string name = service_name(si.cfg, format);
  std::string out = service_line(si, name, format) + "\n";
  std::vector<ctl::DestInfo> dests = si.dests;
  if (!(format & fmt::kNoSort)) sort_dests(dests);
  for (const ctl::DestInfo& d : dests)
    out += dest_line(d, name, si.cfg.key.protocol, format) + "\n";
  return out;
}

}  // namespace

std::string format_largenum(uint64_t i, unsigned format) {
  using ull = unsigned long long;
  if (format & fmt::kExact) {
    int len = int(std::to_string(i).size());
    return strf("%*llu", len <= 8 ? 9 : len + 1, ull(i));
  }
  if (i < 100000000ULL) return strf("%9llu", ull(i));
  if (i < 1000000000ULL) return strf("%8lluK", ull(i / 1000));
  if (i < 100000000000ULL) return strf("%8lluM", ull(i / 1000000));
  if (i < 100000000000000ULL) return strf("%8lluG", ull(i / 1000000000ULL));
  return strf("%8lluT", ull(i / 1000000000000ULL));
}

std::string format_list(const ctl::Info& info, std::vector<ctl::ServiceInfo> services,
                        unsigned format) {
  std::string out;
  if (!(format & fmt::kRule))
    out = "IP Virtual Server version " + info.version + strf(" (size=%u)\n", info.conn_tab_size);
  to_kernel_order(services);
  if (!(format & fmt::kNoSort)) sort_services(services);
  out += title(format);
  for (const ctl::ServiceInfo& s : services) out += service_entry(s, format);
  return out;
}

std::string format_one(const ctl::ServiceInfo& service, unsigned format) {
  return title(format) + service_entry(service, format);
}

std::string format_timeouts(const ctl::Timeouts& t) {
  return strf("Timeout (tcp tcpfin udp): %d %d %d\n", int(t.tcp), int(t.tcpfin), int(t.udp));
}

std::string format_daemons(const std::vector<ctl::SyncDaemon>& daemons) {
  std::string out;
  for (const char* role : {"master", "backup"}) {
    for (const ctl::SyncDaemon& d : daemons) {
      if (d.state != role) continue;
      out += strf("%s sync daemon (mcast=%s, syncid=%d", role, d.mcast_ifn.c_str(),
                  int(d.syncid));
      if (d.sync_maxlen) out += strf(", maxlen=%u", d.sync_maxlen);
      if (!d.mcast_group.empty()) out += ", group=" + d.mcast_group;
      if (d.mcast_port) out += strf(", port=%u", unsigned(d.mcast_port));
      if (d.mcast_ttl) out += strf(", ttl=%u", unsigned(d.mcast_ttl));
      out += ")\n";
    }
  }
  return out;
}

std::string format_conns(const std::vector<ctl::ConnInfo>& conns, unsigned format) {
  std::string out = "IPVS connection entries\n";
  if (format & fmt::kPersistentConn)
    out += strf("pro expire %-11s %-18s %-18s %-18s %-16s %s\n", "state", "source", "virtual",
                "destination", "pe name", "pe_data");
  else
    out += strf("pro expire %-11s %-18s %-18s %s\n", "state", "source", "virtual",
                "destination");
  const bool numeric = format & fmt::kNumeric;
  for (const ctl::ConnInfo& c : conns) {
    const char* proto = c.protocol == 0 ? "IP" : protocol_title(c.protocol);
    std::string expire = strf("%02u:%02u", c.expires_s / 60, c.expires_s % 60);
    out += strf("%-3s %-6s %-11s %-18s %-18s %s\n", proto, expire.c_str(), c.state.c_str(),
                addrport_name(c.client, c.protocol, numeric).c_str(),
                addrport_name(c.vip, c.protocol, numeric).c_str(),
                addrport_name(c.real, c.protocol, numeric).c_str());
  }
  return out;
}

}  // namespace ulvs::cli
