// lc.cc — least connection: the usable dest with the smallest active*256 + inactive.
//
// Weight only matters as "0 = quiesced"; ties go to the first dest in list order.
//   list A(active 1), B(inactive 3), C(idle)  ->  C;   all idle  ->  the list head.
#include "sched/scheduler.h"

namespace ulvs::sched {
namespace {

class Lc final : public Scheduler {
 public:
  std::string_view name() const override { return "lc"; }

  ipvs::Dest* schedule(DestList dests, const PacketKey&, ipvs::TimeMs) override {
    ipvs::Dest* least = nullptr;
    for (ipvs::Dest* d : dests) {
      // Strict '<' keeps the earlier dest on ties, as ip_vs_lc.c does.
      if (eligible(*d) && (!least || d->overhead() < least->overhead())) least = d;
    }
    return least;
  }
};

}  // namespace

std::unique_ptr<Scheduler> make_lc() { return std::make_unique<Lc>(); }

}  // namespace ulvs::sched
