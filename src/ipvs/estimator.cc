// estimator.cc — one estimator pass (spec §5.2).
#include "ipvs/estimator.h"

namespace ulvs::ipvs {

namespace {
// avg += (rate - avg) / 4, with the kernel's arithmetic shift on signed 64-bit values.
void smooth(int64_t& avg, uint64_t delta, int scale_shift) {
  int64_t rate = static_cast<int64_t>(delta << scale_shift);
  avg += (rate - avg) >> 2;
}
}  // namespace

void estimate(Stats& s) {
  s.snapshot = s.live;
  Counters d = s.snapshot - s.est.last;
  // Packets: per second x 2^10 over a 2 s interval = delta << 9; bytes: x 2^5 -> delta << 4.
  smooth(s.est.cps, d.conns, 9);
  smooth(s.est.inpps, d.inpkts, 9);
  smooth(s.est.outpps, d.outpkts, 9);
  smooth(s.est.inbps, d.inbytes, 4);
  smooth(s.est.outbps, d.outbytes, 4);
  s.est.last = s.snapshot;
}

void zero(Stats& s) {
  s.zero_point = s.snapshot;
  s.est = EstimatorState{};
  s.est.last = s.snapshot;
}

}  // namespace ulvs::ipvs
