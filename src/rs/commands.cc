// commands.cc — dr, tun, down, status, toa: the steps in order, each idempotent.
#include "rs/commands.h"

#include "rs/clsact.h"
#include "rs/decap_prog.h"
#include "rs/lo_vip.h"
#include "rs/netlink.h"
#include "rs/sysctl.h"
#include "rs/toa_prog.h"

namespace ulvs::rs {
namespace {

std::string prefix(const net::Addr& a) { return a.str() + (a.is_v4() ? "/32" : "/128"); }

void vips_on_lo(Netlink& nl, const Options& o, std::ostream& out) {
  for (const auto& vip : o.vips)
    out << (add_lo_vip(nl, vip) ? "added " : "already on lo: ") << prefix(vip) << " dev lo\n";
}

void print_conf(const std::string& dev, const std::string& name, std::ostream& out) {
  out << conf_name(dev, name) << " = " << read_conf(dev, name).value_or("?") << '\n';
}

void print_decap(const std::string& dev, const DecapState& s, std::ostream& out) {
  out << "decap on " << dev << ": prog " << s.prog_id << " " << s.prog_name << ", clsact ingress handle 0x"
      << std::hex << kTcHandle << std::dec << " pref " << kTcPriority << '\n';
  if (s.prog_name != kProgName) {
    out << "  (not ulvs-rs's program)\n";
    return;
  }
  out << "gue port: ";
  if (s.gue_port) out << s.gue_port << '\n';
  else out << "off\n";
  out << "decap vips:";
  for (const auto& v : s.vips) out << ' ' << v.str();
  out << '\n';
  for (size_t i = 0; i < kCounterNames.size(); ++i) out << kCounterNames[i] << ": " << s.counters[i] << '\n';
}

}  // namespace

void run_dr(const Options& o, std::ostream& out) {
  Netlink nl;
  vips_on_lo(nl, o, out);
  set_arp_sysctls();
  out << "arp_ignore=1 arp_announce=2 on all, lo\n";
}

void run_tun(const Options& o, std::ostream& out) {
  int ifindex = ifindex_of(o.dev);  // before changing anything
  run_dr(o, out);
  set_rp_filter_off(o.dev);
  out << "rp_filter=0 on all, " << o.dev << '\n';
  attach_decap(ifindex, o.vips, o.gue_port);
  out << "decap attached to " << o.dev << " ingress (ipip, gre";
  if (o.gue_port) out << ", gue port " << o.gue_port;
  out << ")\n";
}

void run_down(const Options& o, std::ostream& out) {
  int ifindex = o.dev.empty() ? 0 : ifindex_of(o.dev);
  Netlink nl;
  for (const auto& vip : o.vips)
    out << (del_lo_vip(nl, vip) ? "removed " : "not on lo: ") << prefix(vip) << '\n';
  if (!ifindex) return;
  out << (detach_decap(ifindex) ? "decap detached from " : "no decap program on ") << o.dev << '\n';
  if (remove_clsact_if_unused(nl, ifindex)) out << "clsact qdisc removed from " << o.dev << '\n';
}

void run_status(const Options& o, std::ostream& out) {
  int ifindex = o.dev.empty() ? 0 : ifindex_of(o.dev);
  Netlink nl;
  out << "lo vips:";
  for (const auto& v : lo_vips(nl)) out << ' ' << prefix(v);
  out << '\n';
  for (const char* dev : {"all", "lo"}) {
    print_conf(dev, "arp_ignore", out);
    print_conf(dev, "arp_announce", out);
  }
  if (!ifindex) return;
  print_conf("all", "rp_filter", out);
  print_conf(o.dev, "rp_filter", out);
  if (auto s = query_decap(ifindex))
    print_decap(o.dev, *s, out);
  else
    out << "decap on " << o.dev << ": none\n";
}

void run_toa_attach(const Options& o, std::ostream& out) {
  std::string cgroup = o.cgroup.empty() ? cgroup2_mount() : o.cgroup;
  out << (attach_toa(cgroup) ? "toa attached to cgroup " : "toa already attached to cgroup ") << cgroup
      << " (pinned in " << kToaPinDir << ")\n";
}

void run_toa_show(const Options&, std::ostream& out) {
  for (const auto& e : toa_entries())
    out << e.local.str() << ' ' << e.remote.str() << " -> " << e.client.str() << '\n';
}

void run_toa_detach(const Options&, std::ostream& out) {
  out << (detach_toa() ? "toa detached, pins removed from " : "toa not attached: nothing in ") << kToaPinDir << '\n';
}

}  // namespace ulvs::rs
