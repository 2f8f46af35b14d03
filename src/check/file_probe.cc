#include "check/file_probe.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>

namespace ulvs::check {

int64_t read_track_file(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return 0;
  char buf[128];
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0) return 0;
  buf[n] = '\0';
  errno = 0;
  long long v = std::strtoll(buf, nullptr, 0);
  if (errno || v < INT32_MIN || v > int64_t(INT32_MAX) + 1) return 0;
  return v;
}

ProbeResult probe_file(const config::Checker& c) {
  const int64_t v = read_track_file(c.track_file);
  const std::string what = c.track_file + " = " + std::to_string(v);
  const bool weighted = c.file_weight != 0 || c.file_dynamic;
  if (!weighted) {
    const bool fault = (v != 0) != c.file_reverse;
    return fault ? ProbeResult::down(what) : ProbeResult::up(what);
  }
  const int64_t w = c.file_weight ? c.file_weight : 1;
  const int64_t delta = v * w * (c.file_reverse ? -1 : 1);
  if (delta <= INT32_MIN) return ProbeResult::down(what);
  ProbeResult r = ProbeResult::up(what);
  r.weight = std::min<int64_t>(delta, INT32_MAX);
  r.weight_is_delta = true;
  return r;
}

}  // namespace ulvs::check
