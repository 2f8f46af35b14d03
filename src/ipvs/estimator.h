// estimator.h — the kernel's rate estimator (ip_vs_est.c), one pass per stats object.
//
// Every 2 s each stats object is sampled: the displayed counters catch up with the live
// ones, and each rate's average moves a quarter of the way towards the last interval's rate.
// Rates are kept scaled (packets x 2^10, bytes x 2^5) exactly as the kernel keeps them, so
// `--rate` prints the same numbers for the same traffic.
//
//   every 2 s:  estimate(stats);          on -Z:  zero(stats);
#pragma once

#include "ipvs/clock.h"
#include "ipvs/stats.h"

namespace ulvs::ipvs {

constexpr TimeMs kEstimatorPeriod = seconds(2);

void estimate(Stats& s);  // one 2-second pass
void zero(Stats& s);      // ipvsadm -Z

}  // namespace ulvs::ipvs
