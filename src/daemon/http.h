// http.h — the HTTP/JSON API and Prometheus /metrics (off unless --http is given).
//
//   HttpApi http(ctl);
//   http.start("127.0.0.1", 8080);     // serves on its own threads
//   // curl -s localhost:8080/api/v1/services ; curl -s localhost:8080/metrics
//   http.stop();
//
// Routes and the service-key encoding in URLs are documented in docs/API.md.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <thread>

namespace httplib {
class Server;
}

namespace ulvs::daemon {

class Control;

class HttpApi {
 public:
  explicit HttpApi(Control& ctl);
  ~HttpApi();

  bool start(const std::string& host, uint16_t port);  // false: cannot bind
  void stop();
  // More /metrics text after the engine's (the data plane's counters); set before start().
  void set_extra_metrics(std::function<std::string()> f) { extra_metrics_ = std::move(f); }

 private:
  void routes();

  Control& ctl_;
  std::unique_ptr<httplib::Server> srv_;
  std::thread thread_;
  std::function<std::string()> extra_metrics_;
};

}  // namespace ulvs::daemon
