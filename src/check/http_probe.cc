#include "check/http_probe.h"

#include "check/http_message.h"
#include "check/net_io.h"
#include "check/probe.h"

namespace ulvs::check {

constexpr size_t kMaxResponse = 4 << 20;

static ProbeResult get_one(const config::Checker& c, const config::UrlCheck& url,
                           const net::Endpoint& to, const Deadline& d) {
  std::string err;
  Fd fd;
  if (auto failed = connect_stream(c, to, d, fd)) return *failed;
  const std::string req = http_request(c, url, to);
  if (!send_all(fd.get(), req.data(), req.size(), d, err)) return ProbeResult::down(err);
  std::string raw;
  if (!recv_to_eof(fd.get(), raw, kMaxResponse, d, err)) return ProbeResult::down(url.path + ": " + err);
  auto resp = parse_http_response(raw);
  if (!resp) return ProbeResult::down(url.path + ": malformed HTTP response");
  return judge_url(url, *resp);
}

ProbeResult probe_http(const config::Checker& c, const net::Endpoint& to, const Deadline& d) {
  ProbeResult last = ProbeResult::up("no url to check");
  for (const auto& url : c.urls) {
    // Each url gets the full timeout, as keepalived restarts its timers per request.
    Deadline per_url = Deadline::after(c.connect_timeout, d.cancel);
    last = get_one(c, url, to, per_url);
    if (!last.ok) return last;
  }
  return last;
}

}  // namespace ulvs::check
