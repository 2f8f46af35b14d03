// http.cc — REST routes over the same Requests the socket carries, and GET /metrics.
//
// A service is named in URLs as PROTO/ENDPOINT or fwm/MARK:  /api/v1/services/tcp/10.0.0.1:80,
// /api/v1/services/udp/[2001:db8::1]:53, /api/v1/services/fwm/7 (fwm6/7: IPv6 fwmark).
// A real server as its endpoint:  .../dests/192.168.1.2:8080.
#include "daemon/http.h"

#include <httplib.h>

#include <cerrno>
#include <charconv>
#include <cstring>

#include "ctl/codec.h"
#include "daemon/control.h"
#include "daemon/metrics.h"

namespace ulvs::daemon {

using json = nlohmann::json;
using ctl::Op;
using ctl::Reply;
using ctl::Request;

namespace {

constexpr const char* kJson = "application/json";
const std::string kKey = R"((tcp|udp|sctp|fwm|fwm6)/([^/]+))";
const std::string kSvc = "/api/v1/services/" + kKey;

std::optional<ipvs::ServiceKey> key_from_url(const std::string& proto, const std::string& rest) {
  ipvs::ServiceKey k;
  if (proto == "fwm" || proto == "fwm6") {
    uint32_t mark = 0;
    auto [p, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), mark);
    if (ec != std::errc() || p != rest.data() + rest.size() || mark == 0) return std::nullopt;
    k.fwmark = mark;
    k.family = proto == "fwm6" ? net::Family::V6 : net::Family::V4;
    k.addr.family = k.family;
    return k;
  }
  auto ep = net::Endpoint::parse(rest);
  if (!ep) return std::nullopt;
  k.protocol = proto == "tcp" ? ipvs::proto::kTcp
               : proto == "udp" ? ipvs::proto::kUdp : ipvs::proto::kSctp;
  k.addr = ep->addr;
  k.family = ep->addr.family;
  k.port = ep->port;
  return k;
}

// The text ipvsadm would print for the common cases, else strerror.
std::string error_text(Op op, int err) {
  bool dest_op = op == Op::AddDest || op == Op::EditDest || op == Op::DelDest;
  switch (-err) {
    case EEXIST: return dest_op ? "Destination already exists" : "Service already exists";
    case ESRCH: return dest_op ? "Service not defined" : "No such service";
    case ENOENT:
      return dest_op ? "No such destination" : "Scheduler or persistence engine not found";
    case EINVAL:
      return "Invalid operation.  Possibly wrong module version, address not unicast, ...";
  }
  return std::strerror(-err);
}

int http_status(Op op, int err) {
  switch (-err) {
    case ESRCH: return 404;
    case ENOENT: return (op == Op::AddService || op == Op::EditService) ? 400 : 404;
    case EEXIST: return 409;
    case EPERM: return 403;
  }
  return 400;
}

void send_error(httplib::Response& res, int status, int err, const std::string& message) {
  res.status = status;
  res.set_content(json{{"error", err}, {"message", message}}.dump(), kJson);
}

// Runs a request and turns its reply into the HTTP answer.
void answer(Control& ctl, const Request& req, httplib::Response& res, int ok_status = 200) {
  Reply rep = ctl.execute(req);
  if (rep.error) {
    send_error(res, http_status(req.op, rep.error), rep.error,
               rep.message.empty() ? error_text(req.op, rep.error) : rep.message);
    return;
  }
  res.status = ok_status;
  bool listing = req.op == Op::GetServices || req.op == Op::GetInfo ||
                 req.op == Op::GetTimeouts || req.op == Op::GetDaemons || req.op == Op::GetConns;
  res.set_content(listing ? ctl::to_json(rep).dump() : json{{"error", 0}}.dump(), kJson);
}

// Parses the body as JSON and hands it to f; a bad body is a 400 with the decoder's message.
template <class F>
void with_body(const httplib::Request& http, httplib::Response& res, F&& f) {
  try {
    f(json::parse(http.body));
  } catch (const std::exception& e) {
    send_error(res, 400, -EINVAL, std::string("bad request body: ") + e.what());
  }
}

std::optional<ipvs::ServiceKey> url_key(const httplib::Request& http, httplib::Response& res) {
  auto k = key_from_url(http.matches[1], http.matches[2]);
  if (!k) send_error(res, 400, -EINVAL, "bad service in URL: " + std::string(http.matches[0]));
  return k;
}

}  // namespace

HttpApi::HttpApi(Control& ctl) : ctl_(ctl), srv_(std::make_unique<httplib::Server>()) {}
HttpApi::~HttpApi() { stop(); }

bool HttpApi::start(const std::string& host, uint16_t port) {
  routes();
  if (!srv_->bind_to_port(host, port)) return false;
  thread_ = std::thread([this] { srv_->listen_after_bind(); });
  return true;
}

void HttpApi::stop() {
  if (thread_.joinable()) {
    srv_->stop();
    thread_.join();
  }
}

void HttpApi::routes() {
  // Handlers outlive this function: they capture `this` (and copies of the helper lambdas),
  // never locals by reference.
  auto& s = *srv_;

  s.Get("/api/v1/services", [this](const httplib::Request&, httplib::Response& res) {
    Control& ctl = ctl_;
    answer(ctl, {.op = Op::GetServices}, res);
  });
  s.Get(kSvc, [this](const httplib::Request& http, httplib::Response& res) {
    Control& ctl = ctl_;
    if (auto k = url_key(http, res)) answer(ctl, {.op = Op::GetServices, .key = k}, res);
  });
  s.Post("/api/v1/services", [this](const httplib::Request& http, httplib::Response& res) {
    Control& ctl = ctl_;
    with_body(http, res, [&](const json& j) {
      answer(ctl, {.op = Op::AddService, .service = ctl::service_from_json(j)}, res, 201);
    });
  });
  // Edit: the key from the URL, or from the body for PUT /api/v1/services.
  auto edit = [this](const httplib::Request& http, httplib::Response& res,
                     std::optional<ipvs::ServiceKey> key) {
    Control& ctl = ctl_;
    with_body(http, res, [&](json j) {
      if (key && !j.contains("key")) j["key"] = ctl::to_json(*key);
      Request r{.op = Op::EditService, .service = ctl::service_from_json(j)};
      if (key && !(ctl::to_json(r.service.key) == ctl::to_json(*key)))
        return send_error(res, 400, -EINVAL, "the body's key differs from the URL's");
      answer(ctl, r, res);
    });
  };
  s.Put("/api/v1/services", [edit](const httplib::Request& http, httplib::Response& res) {
    edit(http, res, std::nullopt);
  });
  s.Put(kSvc, [edit](const httplib::Request& http, httplib::Response& res) {
    if (auto k = url_key(http, res)) edit(http, res, k);
  });
  s.Delete(kSvc, [this](const httplib::Request& http, httplib::Response& res) {
    Control& ctl = ctl_;
    if (auto k = url_key(http, res)) answer(ctl, {.op = Op::DelService, .key = k}, res);
  });

  auto dest_body = [this](Op op, int ok) {
    return [this, op, ok](const httplib::Request& http, httplib::Response& res) {
      Control& ctl = ctl_;
      auto k = url_key(http, res);
      if (!k) return;
      with_body(http, res, [&](const json& j) {
        answer(ctl, {.op = op, .key = k, .dest = ctl::dest_from_json(j)}, res, ok);
      });
    };
  };
  s.Post(kSvc + "/dests", dest_body(Op::AddDest, 201));
  s.Put(kSvc + "/dests", dest_body(Op::EditDest, 200));
  s.Delete(kSvc + "/dests/([^/]+)", [this](const httplib::Request& http, httplib::Response& res) {
    Control& ctl = ctl_;
    auto k = url_key(http, res);
    if (!k) return;
    auto ep = net::Endpoint::parse(std::string(http.matches[3]));
    if (!ep) return send_error(res, 400, -EINVAL, "bad real server in URL");
    Request r{.op = Op::DelDest, .key = k};
    r.dest.ep = *ep;
    answer(ctl, r, res);
  });

  // Everything else in the command model, as on the socket: POST a Request, get the Reply.
  s.Post("/api/v1/request", [this](const httplib::Request& http, httplib::Response& res) {
    Control& ctl = ctl_;
    with_body(http, res, [&](json j) {
      if (j.is_object() && !j.contains("version")) j["version"] = ctl::kApiVersion;
      Reply rep = ctl.execute(ctl::request_from_json(j));
      res.status = rep.error ? 400 : 200;
      res.set_content(ctl::to_json(rep).dump(), kJson);
    });
  });

  s.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    Control& ctl = ctl_;
    Reply rep = ctl.execute({.op = Op::GetServices});
    EngineState st = ctl.with_engine([](ipvs::Engine& e) {
      return EngineState{e.counters(), e.conns().size(), e.conns().capacity()};
    });
    std::string text = render_metrics(rep.services, st);
    if (extra_metrics_) text += extra_metrics_();
    res.set_content(text, "text/plain; version=0.0.4");
  });
}

}  // namespace ulvs::daemon
