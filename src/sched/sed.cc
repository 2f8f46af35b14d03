// sed.cc — shortest expected delay: minimise (active + 1) / weight; inactive is ignored.
//
// The "+1" counts the new connection itself, so a fast busy server can beat a slow idle one:
//   A(w1, idle) vs B(w10, 1 active): (0+1)/1 > (1+1)/10  ->  B   (wlc would pick A).
#include "sched/scheduler.h"

namespace ulvs::sched {
namespace {

uint64_t sed_overhead(const ipvs::Dest& d) { return uint64_t(d.activeconns) + 1; }

class Sed final : public Scheduler {
 public:
  std::string_view name() const override { return "sed"; }

  ipvs::Dest* schedule(DestList dests, const PacketKey&, ipvs::TimeMs) override {
    ipvs::Dest* least = nullptr;
    for (ipvs::Dest* d : dests) {
      if (d->overloaded) continue;
      if (!least) {
        if (d->weight() > 0) least = d;  // later weight-0 dests lose the comparison anyway
        continue;
      }
      if (sed_overhead(*least) * uint64_t(d->weight()) >
          sed_overhead(*d) * uint64_t(least->weight()))
        least = d;
    }
    return least;
  }
};

}  // namespace

std::unique_ptr<Scheduler> make_sed() { return std::make_unique<Sed>(); }

}  // namespace ulvs::sched
