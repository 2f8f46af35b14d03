// server.cc — listening socket, accept loop and one thread per client.
#include "ctl/server.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "ctl/codec.h"
#include "ctl/line_io.h"

namespace ulvs::ctl {

Server::Server(std::string path, Handler handler)
    : path_(std::move(path)), handler_(std::move(handler)) {}

Server::~Server() { stop(); }

static sockaddr_un unix_addr(const std::string& path) {
  sockaddr_un sa{};
  sa.sun_family = AF_UNIX;
  std::memcpy(sa.sun_path, path.data(), std::min(path.size(), sizeof sa.sun_path - 1));
  return sa;
}

// True when something answers on the socket file: another ulvsd owns it.
static bool in_use(const std::string& path) {
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_un sa = unix_addr(path);
  bool ok = connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0;
  close(fd);
  return ok;
}

int Server::bind_socket() {
  auto fail = [&](int err, const std::string& what) {
    error_ = what + " " + path_ + ": " + std::strerror(err);
    return -err;
  };
  if (path_.empty() || path_.size() >= sizeof(sockaddr_un::sun_path))
    return fail(ENAMETOOLONG, "bad socket path");
  std::error_code ec;
  auto dir = std::filesystem::path(path_).parent_path();
  if (!dir.empty()) {
    std::filesystem::create_directories(dir, ec);
    if (ec) return fail(ec.value(), "cannot create the directory of");
  }
  struct stat st;
  if (lstat(path_.c_str(), &st) == 0) {
    if (!S_ISSOCK(st.st_mode)) return fail(EEXIST, "not a socket, refusing to replace");
    if (in_use(path_)) return fail(EADDRINUSE, "another ulvsd is serving");
    unlink(path_.c_str());  // stale, left by a daemon that died
  }
  listen_fd_ = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) return fail(errno, "socket() for");
  sockaddr_un sa = unix_addr(path_);
  // umask so the file is born 0600: no window in which another user could connect.
  // start() runs before the daemon starts other threads, so the process-wide umask is safe.
  mode_t old = umask(0177);
  int rc = bind(listen_fd_, reinterpret_cast<sockaddr*>(&sa), sizeof sa);
  int err = errno;
  umask(old);
  if (rc < 0) return fail(err, "cannot bind");
  if (listen(listen_fd_, 128) < 0) return fail(errno, "cannot listen on");
  return 0;
}

int Server::start() {
  if (int err = bind_socket(); err < 0) {
    if (listen_fd_ >= 0) close(listen_fd_);
    listen_fd_ = -1;
    return err;
  }
  if (pipe2(wake_, O_CLOEXEC) < 0) {
    error_ = std::string("pipe: ") + std::strerror(errno);
    return -errno;
  }
  acceptor_ = std::thread([this] { accept_loop(); });
  return 0;
}

void Server::stop() {
  if (acceptor_.joinable()) {
    char c = 0;
    (void)!write(wake_[1], &c, 1);
    acceptor_.join();
  }
  reap(true);
  if (listen_fd_ >= 0) {
    close(listen_fd_);
    listen_fd_ = -1;
    unlink(path_.c_str());
  }
  for (int& fd : wake_)
    if (fd >= 0) close(std::exchange(fd, -1));
}

void Server::accept_loop() {
  for (;;) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[1].revents) return;
    int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;  // EAGAIN, ECONNABORTED, EMFILE...: keep serving the others
    reap(false);
    std::lock_guard lock(clients_mu_);
    if (clients_.size() >= kMaxClients) {
      close(fd);
      continue;
    }
    auto c = std::make_unique<Client>();
    c->fd = fd;
    Client* raw = c.get();
    clients_.push_back(std::move(c));
    raw->thread = std::thread([this, raw] { serve(*raw); });
  }
}

// Joins finished client threads; all=true also disconnects and joins the running ones.
void Server::reap(bool all) {
  std::list<std::unique_ptr<Client>> gone;
  {
    std::lock_guard lock(clients_mu_);
    for (auto it = clients_.begin(); it != clients_.end();) {
      if (all && !(*it)->done) shutdown((*it)->fd, SHUT_RDWR);  // wakes its read()
      if (all || (*it)->done) {
        gone.push_back(std::move(*it));
        it = clients_.erase(it);
      } else {
        ++it;
      }
    }
  }
  for (auto& c : gone) {
    c->thread.join();
    close(c->fd);
  }
}

static bool peer_allowed(int fd) {
  ucred cred{};
  socklen_t len = sizeof cred;
  if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0) return false;
  return cred.uid == 0 || cred.uid == geteuid();
}

std::string Server::answer(const std::string& line, bool allowed) {
  Reply rep;
  if (!allowed) {
    rep.error = -EPERM;
    rep.message = "permission denied: ulvsd accepts requests from root only";
    return encode(rep);
  }
  std::string err;
  auto req = decode_request(line, err);
  if (!req) {
    rep.error = -EINVAL;
    rep.message = "bad request: " + err;
    return encode(rep);
  }
  try {
    return encode(handler_(*req));
  } catch (const std::exception& e) {  // e.g. bad_alloc: answer, keep serving
    rep.error = -ENOMEM;
    rep.message = std::string("ulvsd: ") + e.what();
    return encode(rep);
  }
}

void Server::serve(Client& c) {
  bool allowed = peer_allowed(c.fd);
  LineReader in(c.fd, kMaxLine);
  std::string line;
  while (in.next(line)) {
    if (line.empty() || line == "\r") continue;
    if (!write_line(c.fd, answer(line, allowed))) break;
  }
  if (in.too_long()) {
    Reply rep;
    rep.error = -EMSGSIZE;
    rep.message = "request line longer than " + std::to_string(kMaxLine) + " bytes";
    write_line(c.fd, encode(rep));
  }
  // Hang up now (the fd itself is closed when the thread is reaped), so a peer still
  // writing an over-long line gets EPIPE instead of blocking on a full socket buffer.
  shutdown(c.fd, SHUT_RDWR);
  c.done = true;
}

}  // namespace ulvs::ctl
