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

Session::Session(std::string path) : path_(std::move(path)) {}

Session::~Session() { disconnect(); }

void Session::disconnect() {
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
  in_.reset();
}

// Requests are written one at a time and answered before the next: the socket buffer never
// has to hold a whole -R file, and the daemon's answers stay in order.
Reply Session::call(const Request& req) {
  if (fd_ < 0) {
    int fd = connect_to(path_);
    if (fd < 0)
      return failure(-ECONNREFUSED, "cannot reach ulvsd at " + path_ + ": " + std::strerror(-fd));
    fd_ = fd;
    in_ = std::make_unique<LineReader>(fd_);
  }
  std::string line;
  if (!write_line(fd_, encode(req)) || !in_->next(line)) {
    disconnect();
    return failure(-EIO, "ulvsd at " + path_ + " closed the connection");
  }
  std::string err;
  auto rep = decode_reply(line, err);
  if (!rep) {
    disconnect();
    return failure(-EPROTO, "bad reply from ulvsd at " + path_ + ": " + err);
  }
  return std::move(*rep);
}

std::vector<Reply> call_many(const std::string& path, const std::vector<Request>& reqs) {
  std::vector<Reply> out;
  Session s(path);
  for (const Request& req : reqs) {
    out.push_back(s.call(req));
    if (!s.connected()) break;  // a transport failure: the last reply says which
  }
  return out;
}

Reply call(const std::string& path, const Request& req) { return Session(path).call(req); }

}  // namespace ulvs::ctl
