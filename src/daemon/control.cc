// control.cc — lock, read the clock, run.
#include "daemon/control.h"

#include <time.h>

namespace ulvs::daemon {

ipvs::TimeMs monotonic_ms() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ipvs::TimeMs(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

ctl::Reply Control::execute(const ctl::Request& req) {
  std::lock_guard lock(mu_);
  ctl::Reply rep = exec_.execute(req, monotonic_ms());
  changes_.fetch_add(1, std::memory_order_release);
  return rep;
}

void Control::tick() {
  std::lock_guard lock(mu_);
  engine_.tick(monotonic_ms());
}

}  // namespace ulvs::daemon
