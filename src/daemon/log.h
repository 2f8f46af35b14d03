// log.h — ulvsd's log lines: "ulvsd: ..." on stderr, no timestamps (journald adds them).
//
//   log("listening on %s", path.c_str());
#pragma once

namespace ulvs::daemon {

[[gnu::format(printf, 1, 2)]] void log(const char* fmt, ...);

}  // namespace ulvs::daemon
