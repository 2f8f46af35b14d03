// detach.h — --daemon and --pidfile.
//
//   if (opt.detach && !detach()) return 1;        // now in the background, stdio on /dev/null
//   if (!write_pidfile("/run/ulvsd.pid")) return 1;
#pragma once

#include <string>

namespace ulvs::daemon {

// fork (the parent exits 0), setsid, chdir /, stdin/stdout/stderr to /dev/null.
// false (and a log line) if it could not.
bool detach();
bool write_pidfile(const std::string& path);

}  // namespace ulvs::daemon
