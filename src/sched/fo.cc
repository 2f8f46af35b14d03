// fo.cc — weighted failover: every new connection goes to the usable dest with the highest
// weight; connection counts are ignored.
//
//   A(w10), B(w20) -> B always; B overloaded or quiesced -> A.  Equal weights: first in list.
#include "sched/scheduler.h"

namespace ulvs::sched {
namespace {

class Fo final : public Scheduler {
 public:
  std::string_view name() const override { return "fo"; }

  ipvs::Dest* schedule(DestList dests, const PacketKey&, ipvs::TimeMs) override {
    ipvs::Dest* best = nullptr;
    int32_t hw = 0;  // starting at 0 is what excludes weight-0 dests
    for (ipvs::Dest* d : dests) {
      if (!d->overloaded && d->weight() > hw) {
        best = d;
        hw = d->weight();
      }
    }
    return best;
  }
};

}  // namespace

std::unique_ptr<Scheduler> make_fo() { return std::make_unique<Fo>(); }

}  // namespace ulvs::sched
