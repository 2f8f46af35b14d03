#include "check/ssl_probe.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <map>
#include <memory>
#include <mutex>
#include <string>

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

std::string ssl_error_text() {
  unsigned long e = ERR_get_error();
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  ERR_clear_error();
  return e ? buf : "TLS error";
}

using CtxPtr = std::unique_ptr<SSL_CTX, SslFree>;

// Hands OpenSSL the key file's password; only during SSL_CTX_use_PrivateKey_file.
int give_password(char* buf, int size, int /*rwflag*/, void* userdata) {
  const std::string& pw = *static_cast<const std::string*>(userdata);
  if (pw.empty() || pw.size() + 1 > static_cast<size_t>(size)) return 0;  // no truncation
  pw.copy(buf, pw.size());
  buf[pw.size()] = '\0';
  return static_cast<int>(pw.size());
}

// A client context as keepalived's build_ssl_ctx makes it: no peer verification (the ca is
// loaded but not enforced), the certificate chain and key presented when the server asks.
CtxPtr build_ctx(const config::SslClient& s, std::string& err) {
  ERR_clear_error();
  CtxPtr ctx(SSL_CTX_new(TLS_client_method()));
  if (!ctx) { err = "cannot create TLS context: " + ssl_error_text(); return nullptr; }
  SSL_CTX* c = ctx.get();
  SSL_CTX_set_verify(c, SSL_VERIFY_NONE, nullptr);
  SSL_CTX_set_verify_depth(c, 1);
#ifdef SSL_OP_IGNORE_UNEXPECTED_EOF
  SSL_CTX_set_options(c, SSL_OP_IGNORE_UNEXPECTED_EOF);  // servers that just close: EOF
#endif
  if (!s.certificate.empty() && SSL_CTX_use_certificate_chain_file(c, s.certificate.c_str()) != 1) {
    err = "cannot load certificate " + s.certificate + ": " + ssl_error_text();
    return nullptr;
  }
  if (!s.key.empty()) {
    // Always our callback, even without a password: OpenSSL's default one would prompt on
    // the terminal (and block a probe thread).  It points at s, so it is removed again.
    SSL_CTX_set_default_passwd_cb_userdata(c, const_cast<std::string*>(&s.password));
    SSL_CTX_set_default_passwd_cb(c, give_password);
    bool loaded = SSL_CTX_use_PrivateKey_file(c, s.key.c_str(), SSL_FILETYPE_PEM) == 1;
    SSL_CTX_set_default_passwd_cb(c, nullptr);
    SSL_CTX_set_default_passwd_cb_userdata(c, nullptr);
    if (!loaded) { err = "cannot load key " + s.key + ": " + ssl_error_text(); return nullptr; }
  }
  if (!s.ca.empty() && SSL_CTX_load_verify_locations(c, s.ca.c_str(), nullptr) != 1) {
    err = "cannot load CA " + s.ca + ": " + ssl_error_text();
    return nullptr;
  }
  return ctx;
}

// A file as the cache knows it: its path and when it last changed, so a certificate
// replaced in place (rotation) is read again, as keepalived reads it again on reload.
std::string stamped(const std::string& path) {
  struct stat st {};
  if (path.empty() || ::stat(path.c_str(), &st) != 0) return path;
  return path + "@" + std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec) + "/" +
         std::to_string(st.st_size);
}

// One context per distinct SSL block, shared by every probe thread (an SSL_CTX is safe to
// share once built), built again when one of its files changed.  The caller owns a
// reference, so a context replaced meanwhile lives on until it lets go.  Failures are not
// kept: a file fixed later is picked up by the next probe.
CtxPtr client_ctx(const config::SslClient& s, std::string& err) {
  using Key = std::array<std::string, 4>;
  struct Entry {
    std::string versions;  // the files' stamps when the context was built
    CtxPtr ctx;
  };
  static std::mutex mu;
  static std::map<Key, Entry> cache;
  Key key{s.password, s.ca, s.certificate, s.key};
  std::string versions = stamped(s.ca) + "|" + stamped(s.certificate) + "|" + stamped(s.key);
  std::lock_guard lock(mu);
  auto it = cache.find(key);
  if (it == cache.end() || it->second.versions != versions) {
    CtxPtr ctx = build_ctx(s, err);
    if (!ctx) return nullptr;
    Entry& e = cache[key];
    e.versions = std::move(versions);
    e.ctx = std::move(ctx);  // the old one goes when its last user lets go
    it = cache.find(key);
  }
  SSL_CTX_up_ref(it->second.ctx.get());
  return CtxPtr(it->second.ctx.get());
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

ProbeResult get_one(SSL_CTX* ctx, const config::Checker& c, const config::UrlCheck& url,
                    const net::Endpoint& to, const Deadline& d) {
  std::string err;
  Fd fd;
  if (auto failed = connect_stream(c, to, d, fd)) return *failed;
  std::unique_ptr<SSL, SslFree> ssl(SSL_new(ctx));
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
  std::string err;
  CtxPtr ctx = client_ctx(c.ssl, err);
  if (!ctx) return ProbeResult::down(err);
  ProbeResult last = ProbeResult::up("no url to check");
  for (const auto& url : c.urls) {
    last = get_one(ctx.get(), c, url, to, Deadline::after(c.connect_timeout, d.cancel));
    if (!last.ok) return last;
  }
  return last;
}

std::string ssl_setup_error(const config::KeepalivedConfig& cfg) {
  auto is_ssl = [](const config::Checker& c) { return c.type == config::Checker::Ssl; };
  bool required = false;
  for (const auto& vs : cfg.virtual_servers)
    for (const auto& rs : vs.real_servers) required |= std::ranges::any_of(rs.checkers, is_ssl);
  if (!required) return {};
  std::string err;
  return client_ctx(cfg.global.ssl, err) ? std::string{} : err;
}

}  // namespace ulvs::check
