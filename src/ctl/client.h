// client.h — talking to ulvsd over its Unix socket: one JSON line out, one line back.
//
//   Reply r = ctl::call(ctl::default_socket_path(), Request{.op = Op::GetServices});
//   if (r.error) fprintf(stderr, "%s\n", r.message.c_str());
//
// Transport failures come back as a Reply too (error -ECONNREFUSED, -EIO, -EPROTO with a
// message naming the socket), so callers have a single error path.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "ctl/model.h"

namespace ulvs::ctl {

constexpr const char* kDefaultSocket = "/run/ulvs/ulvsd.sock";

// $ULVS_SOCKET if set and non-empty, else /run/ulvs/ulvsd.sock.
std::string default_socket_path();

Reply call(const std::string& path, const Request& req);

class LineReader;

// One connection kept open for many requests, answered in order (ulvsadm -R sends thousands:
// a connection each would cost a connect and a server thread per line).  Connects on first
// use; after a transport failure the next call connects again.
class Session {
 public:
  explicit Session(std::string path);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  Reply call(const Request& req);
  bool connected() const { return fd_ >= 0; }

 private:
  void disconnect();
  std::string path_;
  int fd_ = -1;
  std::unique_ptr<LineReader> in_;
};

// Several requests over one connection, answered in order (for -R: one connect, many lines).
// Stops at a transport failure; the last Reply then carries that error.
std::vector<Reply> call_many(const std::string& path, const std::vector<Request>& reqs);

}  // namespace ulvs::ctl
