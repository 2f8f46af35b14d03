// wlc.cc — weighted least connection (the IPVS default): minimise overhead / weight,
// overhead = active*256 + inactive, compared by cross-multiplication.
//
//   A(w1, 1 inactive), B(w3, 2 inactive): 1/1 > 2/3  ->  B.   Ties keep the earlier dest.
#include "sched/scheduler.h"

namespace ulvs::sched {
namespace {

class Wlc final : public Scheduler {
 public:
  std::string_view name() const override { return "wlc"; }

  ipvs::Dest* schedule(DestList dests, const PacketKey&, ipvs::TimeMs) override {
    ipvs::Dest* least = nullptr;
    for (ipvs::Dest* d : dests) {
      if (d->overloaded) continue;
      if (!least) {
        // The first candidate must have weight > 0; later weight-0 dests cannot win the
        // comparison below (their side is 0), exactly as in ip_vs_wlc.c.
        if (d->weight() > 0) least = d;
        continue;
      }
      if (least->overhead() * uint64_t(d->weight()) > d->overhead() * uint64_t(least->weight()))
        least = d;
    }
    return least;
  }
};

}  // namespace

std::unique_ptr<Scheduler> make_wlc() { return std::make_unique<Wlc>(); }

}  // namespace ulvs::sched
