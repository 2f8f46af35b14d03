// client.cc — connect, send the request lines, read one reply line per request.
#include "ctl/client.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "ctl/codec.h"
#include "ctl/line_io.h"

namespace ulvs::ctl {

std::string default_socket_path() {
  const char* env = std::getenv("ULVS_SOCKET");
  return env && *env ? env : kDefaultSocket;
}

static Reply failure(int err, std::string message) {
  Reply r;
  r.error = err;
  r.message = std::move(message);
  return r;
}

// A connected socket, or -errno.
static int connect_to(const std::string& path) {
  sockaddr_un sa{};
  sa.sun_family = AF_UNIX;
  if (path.size() >= sizeof sa.sun_path) return -ENAMETOOLONG;
  std::memcpy(sa.sun_path, path.data(), path.size());
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -errno;
  if (connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) < 0) {
    int err = errno;
    close(fd);
    return -err;
  }
  return fd;
}

std::vector<Reply> call_many(const std::string& path, const std::vector<Request>& reqs) {
  std::vector<Reply> out;
  int fd = connect_to(path);
  if (fd < 0) {
    out.push_back(failure(-ECONNREFUSED,
                          "cannot reach ulvsd at " + path + ": " + std::strerror(-fd)));
    return out;
  }
  // Requests are written one at a time and answered before the next: the socket buffer
  // never has to hold a whole -R file, and the daemon's answers stay in order.
  LineReader in(fd);
  for (const Request& req : reqs) {
    std::string line;
    if (!write_line(fd, encode(req)) || !in.next(line)) {
      out.push_back(failure(-EIO, "ulvsd at " + path + " closed the connection"));
      break;
    }
    std::string err;
    auto rep = decode_reply(line, err);
    if (!rep) {
      out.push_back(failure(-EPROTO, "bad reply from ulvsd at " + path + ": " + err));
      break;
    }
    out.push_back(std::move(*rep));
  }
  close(fd);
  return out;
}

Reply call(const std::string& path, const Request& req) {
  return std::move(call_many(path, {req}).front());
}

}  // namespace ulvs::ctl
