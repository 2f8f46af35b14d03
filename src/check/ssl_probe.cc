#include "check/ssl_probe.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>

#include <memory>

#include "check/http_message.h"
#include "check/net_io.h"
#include "check/probe.h"

namespace ulvs::check {

namespace {

constexpr size_t kMaxResponse = 4 << 20;

struct SslFree {
  void operator()(SSL* s) const { SSL_free(s); }
  void operator()(SSL_CTX* c) const { SSL_CTX_free(c); }
};

// One client context for the process: no verification, any TLS version OpenSSL allows.
SSL_CTX* client_ctx() {
  static std::unique_ptr<SSL_CTX, SslFree> ctx([] {
    SSL_CTX* c = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_verify(c, SSL_VERIFY_NONE, nullptr);
#ifdef SSL_OP_IGNORE_UNEXPECTED_EOF
    SSL_CTX_set_options(c, SSL_OP_IGNORE_UNEXPECTED_EOF);  // servers that just close: EOF
#endif
    return c;
  }());
  return ctx.get();
}

std::string ssl_error_text() {
  unsigned long e = ERR_get_error();
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  ERR_clear_error();
  return e ? buf : "TLS error";
}

// Run a non-blocking OpenSSL call until it completes, waiting on the socket as it asks.
// Returns the call's result (> 0 done, 0 peer closed) or -1 with err set.
template <class Op>
int ssl_io(SSL* ssl, int fd, const Deadline& d, std::string& err, Op op) {
  for (;;) {
    int n = op();
    if (n > 0) return n;
    int e = SSL_get_error(ssl, n);
    if (e == SSL_ERROR_ZERO_RETURN) return 0;
    if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) {
      err = e == SSL_ERROR_SYSCALL && ERR_peek_error() == 0 ? "connection closed" : ssl_error_text();
      return e == SSL_ERROR_SYSCALL && ERR_peek_error() == 0 ? 0 : -1;
    }
    if (d.expired()) {
      err = d.cancelled() ? "stopped" : "timeout (TLS)";
      return -1;
    }
    wait_fd(fd, e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, d);
  }
}

ProbeResult get_one(const config::Checker& c, const config::UrlCheck& url, const net::Endpoint& to,
                    const Deadline& d) {
  std::string err;
  Fd fd;
  if (auto failed = connect_stream(c, to, d, fd)) return *failed;
  std::unique_ptr<SSL, SslFree> ssl(SSL_new(client_ctx()));
  SSL_set_fd(ssl.get(), fd.get());
  const std::string& vhost = !url.virtualhost.empty() ? url.virtualhost : c.virtualhost;
  if (c.enable_sni && !vhost.empty()) SSL_set_tlsext_host_name(ssl.get(), vhost.c_str());
  if (ssl_io(ssl.get(), fd.get(), d, err, [&] { return SSL_connect(ssl.get()); }) <= 0)
    return ProbeResult::down(to.str() + ": TLS handshake: " + err);
  const std::string req = http_request(c, url, to);
  if (ssl_io(ssl.get(), fd.get(), d, err,
             [&] { return SSL_write(ssl.get(), req.data(), static_cast<int>(req.size())); }) <= 0)
    return ProbeResult::down(url.path + ": " + err);
  std::string raw;
  char buf[4096];
  for (;;) {
    int n = ssl_io(ssl.get(), fd.get(), d, err, [&] { return SSL_read(ssl.get(), buf, sizeof buf); });
    if (n < 0) return ProbeResult::down(url.path + ": " + err);
    if (n == 0 || raw.size() >= kMaxResponse) break;
    raw.append(buf, static_cast<size_t>(n));
  }
  auto resp = parse_http_response(raw);
  if (!resp) return ProbeResult::down(url.path + ": malformed HTTP response");
  return judge_url(url, *resp);
}

}  // namespace

ProbeResult probe_ssl(const config::Checker& c, const net::Endpoint& to, const Deadline& d) {
  ProbeResult last = ProbeResult::up("no url to check");
  for (const auto& url : c.urls) {
    last = get_one(c, url, to, Deadline::after(c.connect_timeout, d.cancel));
    if (!last.ok) return last;
  }
  return last;
}

}  // namespace ulvs::check
