// ssl_probe.h — SSL_GET: HTTP_GET over TLS (OpenSSL).  The peer certificate is never verified
// (as keepalived, even with an SSL { ca }); the checker's SslClient (the global SSL block)
// gives the client certificate and key presented to servers that ask for one.  With
// enable_sni the url's / checker's virtualhost is sent as SNI.  A certificate, key or CA file
// that cannot be loaded fails the check ("cannot load certificate FILE: <openssl error>").
//
//   config::Checker c;  c.type = config::Checker::Ssl;  c.urls.push_back({.path = "/"});
//   ProbeResult r = probe_ssl(c, *net::Endpoint::parse("10.0.0.2:443"), Deadline::after(3000));
#pragma once

#include "check/deadline.h"
#include "check/probe_result.h"
#include "config/keepalived_model.h"

namespace ulvs::check {

ProbeResult probe_ssl(const config::Checker& c, const net::Endpoint& to, const Deadline& d);

// keepalived's init_ssl_ctx, at start and at reload: when any SSL_GET is configured, the SSL
// block's certificate, key and CA must load, or keepalived's checker process stops (fatal).
// Empty when they load or no SSL_GET needs them; otherwise what failed.
std::string ssl_setup_error(const config::KeepalivedConfig& cfg);

}  // namespace ulvs::check
