// test_servers.h — tiny servers on 127.0.0.1 for the probe tests: a TCP server running a
// handler per connection (one at a time) and a UDP responder.  Port 0: the kernel picks.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <functional>
#include <string>
#include <thread>

#include "net/addr.h"

namespace ulvs::check::test {

inline int bound_socket(int type, uint16_t* port) {
  int fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t l = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &l);
  *port = ntohs(a.sin_port);
  return fd;
}

inline net::Endpoint local(uint16_t port) { return net::Endpoint{net::Addr::v4(0x7f000001), port}; }

// A port nothing listens on (bound then closed).
inline uint16_t dead_port() {
  uint16_t port;
  close(bound_socket(SOCK_STREAM, &port));
  return port;
}

class TcpServer {
 public:
  explicit TcpServer(std::function<void(int)> handler) : handler_(std::move(handler)) {
    fd_ = bound_socket(SOCK_STREAM, &port_);
    listen(fd_, 16);
    thread_ = std::thread([this] { loop(); });
  }
  ~TcpServer() {
    stop_ = true;
    thread_.join();
    close(fd_);
  }
  uint16_t port() const { return port_; }
  net::Endpoint ep() const { return local(port_); }
  int accepted() const { return accepted_; }

 private:
  void loop() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 10) <= 0) continue;
      int c = accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (c < 0) continue;
      ++accepted_;
      if (handler_) handler_(c);
      close(c);
    }
  }
  std::function<void(int)> handler_;
  int fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> accepted_{0};
  std::thread thread_;
};

// Read what a client sends until "\r\n\r\n" (or 200 ms of silence).
inline std::string read_request(int fd) {
  std::string req;
  char buf[1024];
  while (req.find("\r\n\r\n") == std::string::npos) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 200) <= 0) break;
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    req.append(buf, static_cast<size_t>(n));
  }
  return req;
}

inline void send_str(int fd, const std::string& s) { send(fd, s.data(), s.size(), MSG_NOSIGNAL); }

// Answers each datagram with reply(datagram) (no answer when it returns "").
class UdpServer {
 public:
  explicit UdpServer(std::function<std::string(const std::string&)> reply) : reply_(std::move(reply)) {
    fd_ = bound_socket(SOCK_DGRAM, &port_);
    thread_ = std::thread([this] { loop(); });
  }
  ~UdpServer() {
    stop_ = true;
    thread_.join();
    close(fd_);
  }
  uint16_t port() const { return port_; }
  net::Endpoint ep() const { return local(port_); }

 private:
  void loop() {
    char buf[2048];
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 10) <= 0) continue;
      sockaddr_storage from;
      socklen_t fl = sizeof from;
      ssize_t n = recvfrom(fd_, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from), &fl);
      if (n < 0) continue;
      std::string out = reply_(std::string(buf, static_cast<size_t>(n)));
      if (!out.empty()) sendto(fd_, out.data(), out.size(), 0, reinterpret_cast<sockaddr*>(&from), fl);
    }
  }
  std::function<std::string(const std::string&)> reply_;
  int fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace ulvs::check::test
