// ovf.cc — weighted overflow: fill the highest-weight dest until its active connections
// exceed its weight, then overflow to the next highest.  Inactive connections are ignored.
//
//   A(w3), B(w2), connections stay active:  A A A A B B B  then no dest
//   (a dest is skipped only when active > weight, so it takes weight + 1 connections).
#include "sched/scheduler.h"

namespace ulvs::sched {
namespace {

class Ovf final : public Scheduler {
 public:
  std::string_view name() const override { return "ovf"; }

  ipvs::Dest* schedule(DestList dests, const PacketKey&, ipvs::TimeMs) override {
    ipvs::Dest* best = nullptr;
    for (ipvs::Dest* d : dests) {
      if (!eligible(*d) || int64_t(d->activeconns) > d->weight()) continue;
      if (!best || d->weight() > best->weight()) best = d;  // strict: ties keep the first
    }
    return best;
  }
};

}  // namespace

std::unique_ptr<Scheduler> make_ovf() { return std::make_unique<Ovf>(); }

}  // namespace ulvs::sched
