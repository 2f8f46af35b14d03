// server.h — ulvsd's control socket: a Unix stream socket, one JSON request per line.
//
// Each connection gets a thread; every line is decoded, handed to the handler (which takes
// the engine mutex and runs the Executor) and answered with one line.  Malformed lines get
// an error Reply; a client that hangs up mid-line is just forgotten.  The socket file is
// mode 0600 (root-only when ulvsd runs as root), and a peer whose SO_PEERCRED uid is neither
// 0 nor ulvsd's own gets -EPERM for every request, in case the file mode was loosened.
//
//   ctl::Server srv(path, [&](const Request& r) { std::lock_guard l(mu); return ex.execute(r, now()); });
//   if (int err = srv.start(); err < 0) die(srv.error());
//   ...
//   srv.stop();   // closes clients, joins threads, removes the socket file
#pragma once

#include <atomic>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "ctl/model.h"

namespace ulvs::ctl {

class Server {
 public:
  using Handler = std::function<Reply(const Request&)>;

  Server(std::string path, Handler handler);
  ~Server();

  // Creates the parent directory if needed, binds, listens and starts accepting.
  // 0 or -errno; error() then says what failed.
  int start();
  void stop();
  const std::string& error() const { return error_; }
  const std::string& path() const { return path_; }

  static constexpr size_t kMaxLine = 1 << 20;     // a request line; longer is refused
  static constexpr size_t kMaxClients = 1024;     // concurrent connections

 private:
  struct Client {
    int fd = -1;
    std::thread thread;
    std::atomic<bool> done{false};
  };

  int bind_socket();
  void accept_loop();
  void serve(Client& c);
  std::string answer(const std::string& line, bool allowed);
  void reap(bool all);

  std::string path_;
  Handler handler_;
  std::string error_;
  int listen_fd_ = -1;
  int wake_[2] = {-1, -1};  // self-pipe that wakes the accept loop on stop()
  std::thread acceptor_;
  std::mutex clients_mu_;
  std::list<std::unique_ptr<Client>> clients_;
};

}  // namespace ulvs::ctl
