// clock.h — time as the core sees it: milliseconds passed in by the caller.
//
// The core never reads a clock.  The daemon passes CLOCK_MONOTONIC milliseconds; tests pass
// whatever sequence they need, so expiry and rate estimation are exactly reproducible.
#pragma once

#include <cstdint>

namespace ulvs::ipvs {

using TimeMs = int64_t;

constexpr TimeMs seconds(int64_t s) { return s * 1000; }

}  // namespace ulvs::ipvs
