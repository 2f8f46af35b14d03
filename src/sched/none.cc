// none.cc — the "none" scheduler of recent kernels: a service with no scheduler bound.
//
// ipvsadm -A -t VIP:80 -s none is accepted; every new connection then finds no real server
// (ICMP port unreachable), while connections that already exist keep flowing.
#include "sched/scheduler.h"

namespace ulvs::sched {
namespace {

class None final : public Scheduler {
 public:
  std::string_view name() const override { return "none"; }
  ipvs::Dest* schedule(DestList, const PacketKey&, ipvs::TimeMs) override { return nullptr; }
};

}  // namespace

std::unique_ptr<Scheduler> make_none() { return std::make_unique<None>(); }

}  // namespace ulvs::sched
