// http_probe.h — HTTP_GET: for every url { } block, connect, send the keepalived request,
// read the whole response (until the server closes) within the deadline and judge it.
// All urls must pass; no url at all means up (keepalived enables the server unchecked).
//
//   config::Checker c;  c.type = config::Checker::Http;
//   c.urls.push_back({.path = "/health", .status = {{200, 200}}});
//   ProbeResult r = probe_http(c, *net::Endpoint::parse("10.0.0.2:80"), Deadline::after(3000));
#pragma once

#include "check/deadline.h"
#include "check/probe_result.h"
#include "config/keepalived_model.h"

namespace ulvs::check {

ProbeResult probe_http(const config::Checker& c, const net::Endpoint& to, const Deadline& d);

}  // namespace ulvs::check
