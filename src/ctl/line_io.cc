// line_io.cc — newline framing with full writes and buffered reads.
#include "ctl/line_io.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

namespace ulvs::ctl {

bool write_line(int fd, const std::string& s) {
  std::string out = s + '\n';
  size_t done = 0;
  while (done < out.size()) {
    // MSG_NOSIGNAL: a client that went away must not kill the daemon with SIGPIPE.
    ssize_t n = send(fd, out.data() + done, out.size() - done, MSG_NOSIGNAL);
    if (n < 0 && errno == ENOTSOCK) n = write(fd, out.data() + done, out.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += size_t(n);
  }
  return true;
}

bool LineReader::next(std::string& line) {
  for (;;) {
    size_t nl = buf_.find('\n', start_);
    if (nl != std::string::npos) {
      line.assign(buf_, start_, nl - start_);
      start_ = nl + 1;
      return true;
    }
    buf_.erase(0, start_);
    start_ = 0;
    if (buf_.size() > max_) {
      too_long_ = true;
      return false;
    }
    char chunk[65536];
    ssize_t n = read(fd_, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    buf_.append(chunk, size_t(n));
  }
}

}  // namespace ulvs::ctl
