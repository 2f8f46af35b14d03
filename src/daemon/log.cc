// log.cc — one fprintf per line, so lines from several threads do not interleave.
#include "daemon/log.h"

#include <cstdarg>
#include <cstdio>

namespace ulvs::daemon {

void log(const char* fmt, ...) {
  char buf[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  std::fprintf(stderr, "ulvsd: %s\n", buf);
}

}  // namespace ulvs::daemon
