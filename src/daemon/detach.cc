// detach.cc — the classic daemon dance, minus the second fork (setsid is enough for a
// process that never opens a terminal).
#include "daemon/detach.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "daemon/log.h"

namespace ulvs::daemon {

bool detach() {
  pid_t pid = fork();
  if (pid < 0) {
    log("fork: %s", std::strerror(errno));
    return false;
  }
  if (pid > 0) _exit(0);
  setsid();
  if (chdir("/") < 0) { /* / always exists; nothing useful to do otherwise */ }
  int fd = open("/dev/null", O_RDWR | O_CLOEXEC);
  if (fd >= 0) {
    for (int std_fd = 0; std_fd < 3; ++std_fd) dup2(fd, std_fd);
    if (fd > 2) close(fd);
  }
  return true;
}

bool write_pidfile(const std::string& path) {
  FILE* f = std::fopen(path.c_str(), "w");
  if (!f) {
    log("cannot write pidfile %s: %s", path.c_str(), std::strerror(errno));
    return false;
  }
  std::fprintf(f, "%d\n", int(getpid()));
  std::fclose(f);
  return true;
}

}  // namespace ulvs::daemon
