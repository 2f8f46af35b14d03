#include "check/http_message.h"

#include <algorithm>
#include <cctype>
#include <regex>

#include "check/md5.h"

namespace ulvs::check {

std::string http_request(const config::Checker& c, const config::UrlCheck& url,
                         const net::Endpoint& to) {
  const std::string& vhost = !url.virtualhost.empty() ? url.virtualhost : c.virtualhost;
  std::string host;
  if (!vhost.empty())
    host = vhost;
  else if (to.addr.is_v6())
    host = "[" + to.addr.str() + "]:" + std::to_string(to.port);
  else
    host = to.addr.str() + ":" + std::to_string(to.port);
  const bool v11 = c.http_protocol == "1.1";
  const bool close = v11 || c.http_protocol == "1.0C";
  return "GET " + url.path + (v11 ? " HTTP/1.1" : " HTTP/1.0") +
         "\r\nUser-Agent: KeepAliveClient\r\n" + (close ? "Connection: close\r\n" : "") +
         "Host: " + host + "\r\n\r\n";
}

static std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char ch) { return std::tolower(ch); });
  return out;
}

// Content-Length from the header block, nullopt when absent or malformed.
static std::optional<size_t> content_length(std::string_view headers) {
  const std::string h = lower(headers);
  size_t at = h.find("\ncontent-length:");
  if (at == std::string::npos) return std::nullopt;
  at += 16;
  while (at < h.size() && (h[at] == ' ' || h[at] == '\t')) ++at;
  size_t n = 0, digits = 0;
  while (at < h.size() && std::isdigit(static_cast<unsigned char>(h[at]))) {
    n = n * 10 + static_cast<size_t>(h[at++] - '0');
    ++digits;
  }
  if (!digits) return std::nullopt;
  return n;
}

std::optional<HttpResponse> parse_http_response(std::string_view raw) {
  if (raw.substr(0, 5) != "HTTP/") return std::nullopt;
  size_t sp = raw.find(' ');
  size_t eoh = raw.find("\r\n\r\n");
  size_t skip = 4;
  if (eoh == std::string_view::npos) {
    eoh = raw.find("\n\n");
    skip = 2;
  }
  if (sp == std::string_view::npos || eoh == std::string_view::npos || sp > eoh) return std::nullopt;
  HttpResponse r;
  for (size_t i = sp + 1; i < raw.size() && std::isdigit(static_cast<unsigned char>(raw[i])); ++i)
    r.status = r.status * 10 + (raw[i] - '0');
  if (r.status == 0) return std::nullopt;
  std::string_view body = raw.substr(eoh + skip);
  if (auto len = content_length(raw.substr(0, eoh)); len && *len < body.size()) body = body.substr(0, *len);
  r.body = std::string(body);
  return r;
}

static bool status_ok(const config::UrlCheck& url, int status) {
  if (url.status.empty()) return status >= 200 && status <= 299;
  for (auto [lo, hi] : url.status)
    if (status >= lo && status <= hi) return true;
  return false;
}

ProbeResult judge_url(const config::UrlCheck& url, const HttpResponse& resp) {
  const std::string what = url.path + ": ";
  if (!status_ok(url, resp.status))
    return ProbeResult::down(what + "status code " + std::to_string(resp.status));
  if (!url.digest.empty()) {
    std::string got = md5_hex(resp.body);
    if (got != lower(url.digest)) return ProbeResult::down(what + "MD5 digest mismatch (" + got + ")");
  }
  if (!url.regex.empty()) {
    bool matched = false;
    try {
      matched = std::regex_search(resp.body, std::regex(url.regex, std::regex::ECMAScript));
    } catch (const std::regex_error& e) {
      return ProbeResult::down(what + "bad regex: " + e.what());
    }
    if (matched == url.regex_no_match)
      return ProbeResult::down(what + (matched ? "regex matched" : "regex did not match"));
  }
  return ProbeResult::up(what + "status " + std::to_string(resp.status));
}

}  // namespace ulvs::check
