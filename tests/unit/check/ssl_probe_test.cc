// ssl_probe_test — SSL_GET against a TLS server on 127.0.0.1 with a self-signed certificate
// made at test time (OpenSSL APIs, EC P-256).
#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <mutex>

#include "check/md5.h"
#include "check/ssl_probe.h"
#include "check/test_servers.h"

using namespace ulvs;
using namespace ulvs::check;
using namespace ulvs::check::test;

namespace {

SSL_CTX* server_ctx() {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* cert = X509_new();
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), 0);
  X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("test"), -1, -1, 0);
  X509_set_issuer_name(cert, name);
  X509_sign(cert, key, EVP_sha256());
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  SSL_CTX_use_certificate(ctx, cert);
  SSL_CTX_use_PrivateKey(ctx, key);
  X509_free(cert);
  EVP_PKEY_free(key);
  return ctx;
}

struct TlsServer {
  SSL_CTX* ctx = server_ctx();
  std::mutex mu;
  std::string request, sni;
  std::string response;
  TcpServer server{[this](int fd) {
    SSL* ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fd);
    if (SSL_accept(ssl) == 1) {
      char buf[2048];
      int n = SSL_read(ssl, buf, sizeof buf);
      const char* host = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
      {
        std::lock_guard l(mu);
        request.assign(buf, n > 0 ? static_cast<size_t>(n) : 0);
        sni = host ? host : "";
      }
      SSL_write(ssl, response.data(), static_cast<int>(response.size()));
      SSL_shutdown(ssl);
    }
    SSL_free(ssl);
  }};
  explicit TlsServer(std::string r) : response(std::move(r)) {}
  ~TlsServer() { SSL_CTX_free(ctx); }
};

config::Checker ssl_checker() {
  config::Checker c;
  c.type = config::Checker::Ssl;
  c.connect_timeout = 500;
  return c;
}

}  // namespace

TEST(SslProbe, GetOverTlsWithoutVerification) {
  TlsServer srv("HTTP/1.0 200 OK\r\n\r\nsecure");
  auto c = ssl_checker();
  c.urls.push_back(config::UrlCheck{.path = "/tls", .digest = md5_hex("secure")});
  ProbeResult r = probe_ssl(c, srv.server.ep(), Deadline::after(500));
  EXPECT_TRUE(r.ok) << r.message;
  std::lock_guard l(srv.mu);
  EXPECT_EQ(srv.request, "GET /tls HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\nHost: 127.0.0.1:" +
                             std::to_string(srv.server.port()) + "\r\n\r\n");
  EXPECT_EQ(srv.sni, "");  // enable_sni not set
}

TEST(SslProbe, SniAndStatus) {
  TlsServer srv("HTTP/1.0 404 Not Found\r\n\r\n");
  auto c = ssl_checker();
  c.enable_sni = true;
  c.virtualhost = "www.example.com";
  c.urls.push_back(config::UrlCheck{});
  EXPECT_FALSE(probe_ssl(c, srv.server.ep(), Deadline::after(500)).ok);
  {
    std::lock_guard l(srv.mu);
    EXPECT_EQ(srv.sni, "www.example.com");
  }
  c.urls[0].status = {{404, 404}};
  EXPECT_TRUE(probe_ssl(c, srv.server.ep(), Deadline::after(500)).ok);
}

TEST(SslProbe, PlainServerFailsHandshake) {
  TcpServer plain([](int fd) {
    read_request(fd);
    send_str(fd, "HTTP/1.0 200 OK\r\n\r\n");
  });
  auto c = ssl_checker();
  c.urls.push_back(config::UrlCheck{});
  ProbeResult r = probe_ssl(c, plain.ep(), Deadline::after(500));
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.message.find("TLS"), std::string::npos) << r.message;
}
