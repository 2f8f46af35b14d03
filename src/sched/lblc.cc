// lblc.cc — locality-based least connection (ip_vs_lblc.c): remembers which real server each
// destination address went to, so requests for one origin keep hitting the same cache server.
//
// A new destination address gets the weighted-least-connection server and a cache entry.
// Later connections to it reuse that server unless it is gone, quiesced, or "lblc-overloaded"
// (more active connections than its weight while another server is under half its weight);
// then wlc picks again and the entry follows.  Example: list A, B of weight 1, both idle:
// 10.1.1.1 → A; with A at 5 active and B idle, the next 10.1.1.1 goes to B and stays there.
// Entries idle for lblc_expiration (24 h) go in the 30-minute full sweep; past 16384 entries
// the 60 s collector drops entries idle for 6 minutes and no new entries are made.
//
// Lifetime: an entry may outlive its server's membership of the service (the kernel does not
// purge the cache on delete; it checks AVAILABLE on the next hit).  So a cached Dest* must stay
// alive while cached: the service keeps deleted dests in its trash and calls forget() first.
// Only schedule() reads a cached dest; tick() never touches one.
#include "sched/locality.h"

namespace ulvs::sched {

namespace {

struct Entry {
  net::Addr addr;
  ipvs::Dest* dest = nullptr;
  ipvs::TimeMs lastuse = 0;
};

class Lblc final : public Scheduler {
 public:
  explicit Lblc(const SchedSysctl& sysctl) : expiration_(sysctl.lblc_expiration) {}
  std::string_view name() const override { return "lblc"; }

  ipvs::Dest* schedule(DestList dests, const PacketKey& pkt, ipvs::TimeMs now) override {
    // Keyed on the destination as it is: no swap for ICMP-embedded packets.
    Entry* en = cache_.find(pkt.daddr);
    if (en) {
      en->lastuse = now;
      ipvs::Dest* d = en->dest;
      // The threshold OVERLOAD flag is not checked on a hit, only the lblc rule.
      if (d->available && d->weight() > 0 && !locality::lblc_overloaded(*d, dests)) return d;
    }
    ipvs::Dest* d = locality::least_loaded(dests);
    if (!d) return nullptr;
    if (en)
      en->dest = d;  // the kernel replaces the entry; same address, same lastuse
    else if (!cache_.full())
      cache_.insert({pkt.daddr, d, now});
    return d;
  }

  void tick(ipvs::TimeMs now) override { cache_.tick(now, expiration_); }
  void set_sysctl(const SchedSysctl& sysctl) override { expiration_ = sysctl.lblc_expiration; }
  void forget(const ipvs::Dest& gone) override {
    cache_.erase_if([&](const Entry& e) { return e.dest == &gone; });
  }

 private:
  ipvs::TimeMs expiration_;
  locality::Cache<Entry> cache_;
};

}  // namespace

std::unique_ptr<Scheduler> make_lblc(const SchedSysctl& sysctl) {
  return std::make_unique<Lblc>(sysctl);
}

}  // namespace ulvs::sched
