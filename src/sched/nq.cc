// nq.cc — never queue: the first idle (no active connection) dest in list order, else as sed.
//
// Idle servers are used before any queueing happens, however slow they are:
//   A(w1, idle), B(w10, 1 active)  ->  A;   A(w1, 1 active), B(w10, 1 active)  ->  B.
#include "sched/scheduler.h"

namespace ulvs::sched {
namespace {

uint64_t nq_overhead(const ipvs::Dest& d) { return uint64_t(d.activeconns) + 1; }

class Nq final : public Scheduler {
 public:
  std::string_view name() const override { return "nq"; }

  ipvs::Dest* schedule(DestList dests, const PacketKey&, ipvs::TimeMs) override {
    ipvs::Dest* least = nullptr;
    for (ipvs::Dest* d : dests) {
      if (!eligible(*d)) continue;
      if (d->activeconns == 0) return d;  // inactive connections do not count as queueing
      if (!least ||
          nq_overhead(*least) * uint64_t(d->weight()) > nq_overhead(*d) * uint64_t(least->weight()))
        least = d;
    }
    return least;
  }
};

}  // namespace

std::unique_ptr<Scheduler> make_nq() { return std::make_unique<Nq>(); }

}  // namespace ulvs::sched
