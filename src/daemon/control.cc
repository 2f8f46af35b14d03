// control.cc — lock, read the clock, run.
#include "daemon/control.h"

#include <time.h>

namespace ulvs::daemon {

ipvs::TimeMs monotonic_ms() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ipvs::TimeMs(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

// Requests after which the set of owned addresses (VIPs, local addresses, NAT real servers)
// may differ.
static bool changes_owned(ctl::Op op) {
  using ctl::Op;
  switch (op) {
    case Op::AddService: case Op::EditService: case Op::DelService: case Op::Flush:
    case Op::AddDest: case Op::EditDest: case Op::DelDest:
    case Op::AddLocalAddr: case Op::DelLocalAddr:
      return true;
    default:
      return false;
  }
}

ctl::Reply Control::execute(const ctl::Request& req) {
  std::lock_guard lock(mu_);
  ctl::Reply rep = exec_.execute(req, monotonic_ms());
  changes_.fetch_add(1, std::memory_order_release);
  if (!rep.error && on_owned_change_ && changes_owned(req.op)) on_owned_change_(engine_);
  return rep;
}

void Control::tick() {
  std::lock_guard lock(mu_);
  engine_.tick(monotonic_ms());
}

}  // namespace ulvs::daemon
