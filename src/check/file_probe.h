// file_probe.h — FILE_CHECK (keepalived's track_file): read an integer (strtol, base 0) from
// track_file; a missing, empty or unparsable file counts as 0.
// * weight 0 (neither `weight` nor `dynamic`): 0 → up, anything else → down
//   (`reverse`: non-zero → up, 0 → down).
// * weight W (or `dynamic`, W defaulting to 1): up, and the real server's weight changes by
//   value × W (× −1 with reverse); a product at or below INT32_MIN is down.
//
//   echo 5 > /run/rs1.state;  c.track_file = "/run/rs1.state";  c.file_weight = 2;
//   probe_file(c)  // ok, weight 10, weight_is_delta
#pragma once

#include "check/probe_result.h"
#include "config/keepalived_model.h"

namespace ulvs::check {

// The number in `path`, 0 when it cannot be read.
int64_t read_track_file(const std::string& path);

ProbeResult probe_file(const config::Checker& c);

}  // namespace ulvs::check
