// ssl_probe_test — SSL_GET against a TLS server on 127.0.0.1 with a self-signed certificate
// made at test time (OpenSSL APIs, EC P-256); a second server requires a client certificate
// (the global SSL block's).
#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cstdio>
#include <filesystem>
#include <mutex>

#include "check/md5.h"
#include "check/ssl_probe.h"
#include "check/test_servers.h"

using namespace ulvs;
using namespace ulvs::check;
using namespace ulvs::check::test;

namespace {

struct Identity {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* cert = X509_new();
  explicit Identity(const char* cn) {
    ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert), 0);
    X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
    X509_set_pubkey(cert, key);
    X509_NAME* name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn), -1, -1, 0);
    X509_set_issuer_name(cert, name);
    X509_sign(cert, key, EVP_sha256());
  }
  ~Identity() {
    X509_free(cert);
    EVP_PKEY_free(key);
  }
};

// client_ca: the server requires a client certificate and trusts this (self-signed) one.
SSL_CTX* server_ctx(const Identity* client_ca = nullptr) {
  Identity id("test");
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  SSL_CTX_use_certificate(ctx, id.cert);
  SSL_CTX_use_PrivateKey(ctx, id.key);
  if (client_ca) {
    X509_STORE_add_cert(SSL_CTX_get_cert_store(ctx), client_ca->cert);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
  }
  return ctx;
}

struct TlsServer {
  SSL_CTX* ctx;
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
  explicit TlsServer(std::string r, const Identity* client_ca = nullptr)
      : ctx(server_ctx(client_ca)), response(std::move(r)) {}
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

namespace {

// A client identity in PEM files under a fresh temp dir, the key encrypted with `password`.
struct ClientFiles {
  std::filesystem::path dir;
  std::string cert, key;
  ClientFiles(const Identity& id, const char* password) {
    char tmpl[] = "/tmp/ssl_probe_test.XXXXXX";
    dir = mkdtemp(tmpl);
    cert = (dir / "client.pem").string();
    key = (dir / "client.key").string();
    FILE* f = fopen(cert.c_str(), "w");
    PEM_write_X509(f, id.cert);
    fclose(f);
    f = fopen(key.c_str(), "w");
    PEM_write_PrivateKey(f, id.key, EVP_aes_256_cbc(), nullptr, 0, nullptr, const_cast<char*>(password));
    fclose(f);
  }
  ~ClientFiles() { std::filesystem::remove_all(dir); }
};

}  // namespace

TEST(SslProbe, ClientCertificateFromSslBlock) {
  Identity client("client");
  ClientFiles files(client, "s3cret");
  TlsServer srv("HTTP/1.0 200 OK\r\n\r\n", &client);
  auto c = ssl_checker();
  c.urls.push_back(config::UrlCheck{});

  ProbeResult r = probe_ssl(c, srv.server.ep(), Deadline::after(500));
  EXPECT_FALSE(r.ok) << "server requires a client certificate";

  c.ssl = {.password = "s3cret", .ca = files.cert, .certificate = files.cert, .key = files.key};
  r = probe_ssl(c, srv.server.ep(), Deadline::after(500));
  EXPECT_TRUE(r.ok) << r.message;
  r = probe_ssl(c, srv.server.ep(), Deadline::after(500));  // the cached context
  EXPECT_TRUE(r.ok) << r.message;

  c.ssl.key = (files.dir / "missing.key").string();
  r = probe_ssl(c, srv.server.ep(), Deadline::after(500));
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.message.find("cannot load key " + c.ssl.key + ": "), std::string::npos) << r.message;

  c.ssl.key = files.key;
  c.ssl.password = "wrong";
  r = probe_ssl(c, srv.server.ep(), Deadline::after(500));
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.message.find("cannot load key"), std::string::npos) << r.message;

  c.ssl.password = "s3cret";
  c.ssl.certificate = (files.dir / "missing.pem").string();
  r = probe_ssl(c, srv.server.ep(), Deadline::after(500));
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.message.find("cannot load certificate " + c.ssl.certificate + ": "), std::string::npos)
      << r.message;
}

// A certificate replaced in place (rotation) is read again: the cache knows files by their
// path and modification time.
TEST(SslProbe, ClientCertificateReplacedInPlaceIsReadAgain) {
  Identity client("client"), stranger("stranger");
  ClientFiles files(client, "s3cret"), other(stranger, "s3cret");
  TlsServer srv("HTTP/1.0 200 OK\r\n\r\n", &client);  // trusts `client` only
  auto c = ssl_checker();
  c.urls.push_back(config::UrlCheck{});
  c.ssl = {.password = "s3cret", .certificate = files.cert, .key = files.key};
  ProbeResult r = probe_ssl(c, srv.server.ep(), Deadline::after(500));
  ASSERT_TRUE(r.ok) << r.message;
  using std::filesystem::copy_options;
  std::filesystem::copy_file(other.cert, files.cert, copy_options::overwrite_existing);
  std::filesystem::copy_file(other.key, files.key, copy_options::overwrite_existing);
  r = probe_ssl(c, srv.server.ep(), Deadline::after(500));
  EXPECT_FALSE(r.ok) << "the old certificate was still presented";
}

// keepalived's init_ssl_ctx: with an SSL_GET configured, an SSL block whose files do not load
// stops the configuration; without one, nobody needs the block.
TEST(SslProbe, SetupErrorOnlyWhenAnSslGetNeedsTheBlock) {
  Identity client("client");
  ClientFiles files(client, "s3cret");
  config::KeepalivedConfig cfg;
  cfg.global.ssl = {.password = "s3cret", .certificate = files.cert, .key = (files.dir / "missing.key").string()};
  cfg.virtual_servers.emplace_back().real_servers.emplace_back().checkers.push_back(config::Checker{});
  EXPECT_EQ(ssl_setup_error(cfg), "") << "a TCP_CHECK needs no SSL block";

  cfg.virtual_servers[0].real_servers[0].checkers.push_back(ssl_checker());
  EXPECT_NE(ssl_setup_error(cfg).find("cannot load key " + cfg.global.ssl.key + ": "), std::string::npos)
      << ssl_setup_error(cfg);

  cfg.global.ssl.key = files.key;
  EXPECT_EQ(ssl_setup_error(cfg), "");
  cfg.global.ssl.password = "wrong";
  EXPECT_NE(ssl_setup_error(cfg).find("cannot load key"), std::string::npos);
}
