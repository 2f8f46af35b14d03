// ssl_probe.h — SSL_GET: HTTP_GET over TLS (OpenSSL).  The peer certificate is not verified
// (keepalived's default without an SSL { ca } block); with enable_sni the url's / checker's
// virtualhost is sent as SNI.
//
//   config::Checker c;  c.type = config::Checker::Ssl;  c.urls.push_back({.path = "/"});
//   ProbeResult r = probe_ssl(c, *net::Endpoint::parse("10.0.0.2:443"), Deadline::after(3000));
#pragma once

#include "check/deadline.h"
#include "check/probe_result.h"
#include "config/keepalived_model.h"

namespace ulvs::check {

ProbeResult probe_ssl(const config::Checker& c, const net::Endpoint& to, const Deadline& d);

}  // namespace ulvs::check
