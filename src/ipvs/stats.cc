// stats.cc — what --rate prints from the estimator's scaled averages (§5.2).
#include "ipvs/stats.h"

namespace ulvs::ipvs {

Rates Stats::rates() const {
  auto pps = [](int64_t avg) { return uint64_t((avg + 0x1FF) >> 10); };
  auto bps = [](int64_t avg) { return uint64_t((avg + 0xF) >> 5); };
  return {pps(est.cps), pps(est.inpps), pps(est.outpps), bps(est.inbps), bps(est.outbps)};
}

}  // namespace ulvs::ipvs
