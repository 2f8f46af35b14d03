// lblcr.cc — locality-based least connection with replication (ip_vs_lblcr.c): like lblc, but
// each destination address maps to a *set* of real servers, so a hot origin can be served by
// several caches.
//
// A connection goes to the least loaded member of its address's set.  When that member is
// gone or lblc-overloaded, wlc over the whole service picks a server and it joins the set
// (newest first).  A set that has not changed for lblcr_expiration (24 h) sheds its most loaded
// member.  Example: 10.1.1.1 → {A}; A becomes overloaded → B joins, {B, A}; from then on the
// lighter of A and B serves 10.1.1.1.  Garbage collection of whole entries is lblc's.
//
// Lifetime: set members may outlive their server's membership of the service (the kernel
// checks AVAILABLE instead of purging), so a cached Dest* must stay alive while this scheduler
// exists; the service keeps deleted dests in its trash and calls forget() before freeing one.  tick() never reads one.
#include <algorithm>
#include <vector>

#include "sched/locality.h"

namespace ulvs::sched {

namespace {

struct Entry {
  net::Addr addr;
  std::vector<ipvs::Dest*> set;  // newest first: ties go to the most recently added
  ipvs::TimeMs lastmod = 0;
  ipvs::TimeMs lastuse = 0;
};

// Least loaded usable member; weight-0 members can never be strictly lighter.
ipvs::Dest* set_min(const Entry& en) {
  ipvs::Dest* least = nullptr;
  for (ipvs::Dest* d : en.set) {
    if (d->overloaded || !d->available) continue;
    if (!least ? d->weight() > 0 : locality::lighter(*d, *least)) least = d;
  }
  return least;
}

// Most loaded member with a weight (availability does not matter: it is being dropped).
ipvs::Dest* set_max(const Entry& en) {
  ipvs::Dest* most = nullptr;
  for (ipvs::Dest* d : en.set)
    if (d->weight() > 0 && (!most || locality::lighter(*most, *d))) most = d;
  return most;
}

class Lblcr final : public Scheduler {
 public:
  explicit Lblcr(const SchedSysctl& sysctl) : expiration_(sysctl.lblcr_expiration) {}
  std::string_view name() const override { return "lblcr"; }

  ipvs::Dest* schedule(DestList dests, const PacketKey& pkt, ipvs::TimeMs now) override {
    Entry* en = cache_.find(pkt.daddr);
    if (!en) {
      ipvs::Dest* d = locality::least_loaded(dests);
      if (d && !cache_.full()) cache_.insert({pkt.daddr, {d}, now, now});
      return d;
    }
    en->lastuse = now;
    ipvs::Dest* d = set_min(*en);
    // A set unchanged for the expiration sheds its most loaded member, which may be the
    // member just chosen: it still serves this connection.
    if (en->set.size() > 1 && now > en->lastmod + expiration_) {
      if (ipvs::Dest* m = set_max(*en)) {
        std::erase(en->set, m);
        en->lastmod = now;
      }
    }
    if (d && !locality::lblc_overloaded(*d, dests)) return d;

    d = locality::least_loaded(dests);
    if (!d) return nullptr;
    if (std::ranges::find(en->set, d) == en->set.end()) {
      en->set.insert(en->set.begin(), d);
      en->lastmod = now;
    }
    return d;
  }

  void tick(ipvs::TimeMs now) override { cache_.tick(now, expiration_); }
  void set_sysctl(const SchedSysctl& sysctl) override { expiration_ = sysctl.lblcr_expiration; }
  void forget(const ipvs::Dest& gone) override {
    cache_.erase_if([&](Entry& e) {
      std::erase(e.set, &gone);
      return e.set.empty();
    });
  }

 private:
  ipvs::TimeMs expiration_;
  locality::Cache<Entry> cache_;
};

}  // namespace

std::unique_ptr<Scheduler> make_lblcr(const SchedSysctl& sysctl) {
  return std::make_unique<Lblcr>(sysctl);
}

}  // namespace ulvs::sched
