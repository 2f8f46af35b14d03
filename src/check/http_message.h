// http_message.h — the HTTP side of HTTP_GET / SSL_GET without any I/O: the request bytes
// keepalived sends, parsing the response, and judging it against a url { } block.
//
//   std::string req = http_request(checker, url, *net::Endpoint::parse("10.0.0.2:8080"));
//   // "GET / HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\nHost: 10.0.0.2:8080\r\n\r\n"
//   auto resp = parse_http_response("HTTP/1.0 200 OK\r\n\r\nhello");   // status 200, body "hello"
//   ProbeResult r = judge_url(url, *resp);
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "check/probe_result.h"
#include "config/keepalived_model.h"

namespace ulvs::check {

// keepalived's template: "GET <path> HTTP/1.<0|1>\r\nUser-Agent: KeepAliveClient\r\n"
// ["Connection: close\r\n" for 1.0C and 1.1] "Host: <vhost>" or "Host: <ip>:<port>"
// ("[ip6]:port") "\r\n\r\n".  The url's virtualhost wins over the checker's.
std::string http_request(const config::Checker& c, const config::UrlCheck& url,
                         const net::Endpoint& to);

struct HttpResponse {
  int status = 0;
  std::string body;  // cut to Content-Length when the header is present
};

// nullopt: no status line or no end of headers.
std::optional<HttpResponse> parse_http_response(std::string_view raw);

// Status in the url's ranges (default 200-299), then digest (MD5 of the body), then regex
// (must match, or must not with regex_no_match).
ProbeResult judge_url(const config::UrlCheck& url, const HttpResponse& resp);

}  // namespace ulvs::check
