// net_probe_test — TCP_CHECK, HTTP_GET, DNS_CHECK, SMTP_CHECK, UDP_CHECK and PING_CHECK
// probes against servers the test starts on 127.0.0.1.
#include <gtest/gtest.h>

#include <chrono>
#include <mutex>

#include "check/dns_probe.h"
#include "check/http_message.h"
#include "check/http_probe.h"
#include "check/md5.h"
#include "check/ping_probe.h"
#include "check/probe.h"
#include "check/smtp_probe.h"
#include "check/tcp_probe.h"
#include "check/udp_probe.h"
#include "check/test_servers.h"

using namespace ulvs;
using namespace ulvs::check;
using namespace ulvs::check::test;
using Ms = std::chrono::milliseconds;

namespace {

config::Checker checker(config::Checker::Type type, int64_t timeout_ms = 300) {
  config::Checker c;
  c.type = type;
  c.connect_timeout = timeout_ms;
  return c;
}

int64_t elapsed_ms(Clock::time_point since) {
  return std::chrono::duration_cast<Ms>(Clock::now() - since).count();
}

// An HTTP server that records the request and sends a fixed response.
struct HttpServer {
  std::mutex mu;
  std::string last_request;
  std::string response;
  TcpServer server{[this](int fd) {
    std::string req = read_request(fd);
    std::string resp;
    {
      std::lock_guard l(mu);
      last_request = req;
      resp = response;
    }
    send_str(fd, resp);
  }};
  explicit HttpServer(std::string r) : response(std::move(r)) {}
  std::string request() {
    std::lock_guard l(mu);
    return last_request;
  }
};

}  // namespace

TEST(TcpProbe, UpWhenListeningDownWhenRefused) {
  TcpServer srv(nullptr);
  auto c = checker(config::Checker::Tcp);
  EXPECT_TRUE(probe_tcp(c, srv.ep(), Deadline::after(300)).ok);
  ProbeResult r = probe_tcp(c, local(dead_port()), Deadline::after(300));
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.message.find("refused"), std::string::npos) << r.message;
}

TEST(TcpProbe, ConnectIpPortAndBindtoHonoured) {
  TcpServer srv(nullptr);
  auto c = checker(config::Checker::Tcp);
  c.connect_ip = net::Addr::parse("127.0.0.1");
  c.connect_port = srv.port();
  c.bindto = net::Addr::parse("127.0.0.1");
  // The real server's own address is unroutable; connect_ip/connect_port win.
  EXPECT_TRUE(run_probe(c, *net::Endpoint::parse("192.0.2.1:1")).ok);
  c.bindto = net::Addr::parse("192.0.2.55");  // not a local address: bind fails
  ProbeResult r = run_probe(c, *net::Endpoint::parse("192.0.2.1:1"));
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(r.no_verdict);  // keepalived: "bind failed. Rescheduling." — no verdict
  EXPECT_NE(r.message.find("bind"), std::string::npos) << r.message;
}

TEST(TcpProbe, RefusedIsAVerdictUnusableSocketIsNot) {
  auto c = checker(config::Checker::Tcp);
  c.connect_ip = net::Addr::parse("127.0.0.1");
  c.connect_port = dead_port();
  ProbeResult refused = run_probe(c, *net::Endpoint::parse("192.0.2.1:1"));
  EXPECT_FALSE(refused.ok);
  EXPECT_FALSE(refused.no_verdict);
  // HTTP, SSL and SMTP checks open their connection the same way.
  for (auto type : {config::Checker::Http, config::Checker::Ssl, config::Checker::Smtp}) {
    auto h = checker(type);
    h.urls.push_back(config::UrlCheck{});  // HTTP and SSL checks without a URL pass at once
    h.connect_ip = net::Addr::parse("127.0.0.1");
    h.connect_port = dead_port();
    EXPECT_FALSE(run_probe(h, *net::Endpoint::parse("192.0.2.1:1")).no_verdict) << type;
    h.bindto = net::Addr::parse("192.0.2.55");
    ProbeResult r = run_probe(h, *net::Endpoint::parse("192.0.2.1:1"));
    EXPECT_FALSE(r.ok);
    EXPECT_TRUE(r.no_verdict) << type << ": " << r.message;
  }
}

TEST(TcpProbe, TimeoutIsBounded) {
  auto c = checker(config::Checker::Tcp, 150);
  auto t0 = Clock::now();
  // TEST-NET-1: no route answers; either an immediate error or the 150 ms timeout.
  ProbeResult r = run_probe(c, *net::Endpoint::parse("192.0.2.1:80"));
  EXPECT_FALSE(r.ok);
  EXPECT_LT(elapsed_ms(t0), 400);
}

TEST(HttpMessage, RequestBytesExactly) {
  config::Checker c = checker(config::Checker::Http);
  config::UrlCheck u;
  u.path = "/health";
  EXPECT_EQ(http_request(c, u, *net::Endpoint::parse("10.0.0.2:8080")),
            "GET /health HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\nHost: 10.0.0.2:8080\r\n\r\n");
  EXPECT_EQ(http_request(c, u, *net::Endpoint::parse("[2001:db8::1]:80")),
            "GET /health HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\nHost: [2001:db8::1]:80\r\n\r\n");
  c.virtualhost = "www.example.com";
  c.http_protocol = "1.0C";
  EXPECT_EQ(http_request(c, u, *net::Endpoint::parse("10.0.0.2:8080")),
            "GET /health HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\nConnection: close\r\n"
            "Host: www.example.com\r\n\r\n");
  c.http_protocol = "1.1";
  u.virtualhost = "url.example.com";  // the url's virtualhost wins
  EXPECT_EQ(http_request(c, u, *net::Endpoint::parse("10.0.0.2:8080")),
            "GET /health HTTP/1.1\r\nUser-Agent: KeepAliveClient\r\nConnection: close\r\n"
            "Host: url.example.com\r\n\r\n");
}

TEST(HttpMessage, ParseAndJudge) {
  auto r = parse_http_response("HTTP/1.1 301 Moved\r\nContent-Length: 3\r\n\r\nabcdef");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 301);
  EXPECT_EQ(r->body, "abc");  // cut to Content-Length
  EXPECT_FALSE(parse_http_response("garbage"));
  EXPECT_FALSE(parse_http_response("HTTP/1.0 200 OK\r\nno end of headers"));
  config::UrlCheck u;
  EXPECT_FALSE(judge_url(u, *r).ok);  // default 200-299
  u.status = {{200, 200}, {300, 302}};
  EXPECT_TRUE(judge_url(u, *r).ok);
  u.regex = "b.d";
  EXPECT_FALSE(judge_url(u, *r).ok);
  u.regex = "b.";
  EXPECT_TRUE(judge_url(u, *r).ok);
  u.regex_no_match = true;
  EXPECT_FALSE(judge_url(u, *r).ok);
  EXPECT_EQ(md5_hex(""), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(md5_hex("abc"), "900150983cd24fb0d6963f7d28e17f72");
}

TEST(HttpProbe, SendsRequestAndChecksStatus) {
  HttpServer srv("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nhello");
  auto c = checker(config::Checker::Http);
  c.urls.push_back(config::UrlCheck{.path = "/status"});
  ProbeResult r = probe_http(c, srv.server.ep(), Deadline::after(300));
  EXPECT_TRUE(r.ok) << r.message;
  EXPECT_EQ(srv.request(), "GET /status HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\nHost: 127.0.0.1:" +
                               std::to_string(srv.server.port()) + "\r\n\r\n");
  c.urls[0].status = {{201, 299}};
  EXPECT_FALSE(probe_http(c, srv.server.ep(), Deadline::after(300)).ok);
}

TEST(HttpProbe, ServerErrorIsDown) {
  HttpServer srv("HTTP/1.0 503 Service Unavailable\r\n\r\n");
  auto c = checker(config::Checker::Http);
  c.urls.push_back(config::UrlCheck{});
  ProbeResult r = probe_http(c, srv.server.ep(), Deadline::after(300));
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.message.find("503"), std::string::npos) << r.message;
}

TEST(HttpProbe, DigestMatchAndMismatch) {
  HttpServer srv("HTTP/1.0 200 OK\r\n\r\nhello");
  auto c = checker(config::Checker::Http);
  c.urls.push_back(config::UrlCheck{.path = "/", .digest = md5_hex("hello")});
  EXPECT_TRUE(probe_http(c, srv.server.ep(), Deadline::after(300)).ok);
  c.urls[0].digest = md5_hex("hellO");
  ProbeResult r = probe_http(c, srv.server.ep(), Deadline::after(300));
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.message.find("digest"), std::string::npos) << r.message;
}

TEST(HttpProbe, AllUrlsMustPass) {
  HttpServer srv("HTTP/1.0 200 OK\r\n\r\nbody");
  auto c = checker(config::Checker::Http);
  c.urls.push_back(config::UrlCheck{.path = "/a"});
  c.urls.push_back(config::UrlCheck{.path = "/b", .digest = md5_hex("other")});
  EXPECT_FALSE(probe_http(c, srv.server.ep(), Deadline::after(300)).ok);
  EXPECT_EQ(srv.server.accepted(), 2);
}

TEST(HttpProbe, TimeoutWhenServerNeverAnswers) {
  std::atomic<bool> release{false};
  TcpServer silent([&](int fd) {
    while (!release) std::this_thread::sleep_for(Ms(5));
  });
  auto c = checker(config::Checker::Http, 150);
  c.urls.push_back(config::UrlCheck{});
  auto t0 = Clock::now();
  ProbeResult r = probe_http(c, silent.ep(), Deadline::after(150));
  release = true;
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.message.find("timeout"), std::string::npos) << r.message;
  EXPECT_GE(elapsed_ms(t0), 140);
  EXPECT_LT(elapsed_ms(t0), 400);
}

TEST(HttpProbe, StopFlagEndsTheProbeEarly) {
  std::atomic<bool> release{false};
  TcpServer silent([&](int fd) {
    while (!release) std::this_thread::sleep_for(Ms(5));
  });
  auto c = checker(config::Checker::Http, 5000);
  c.urls.push_back(config::UrlCheck{});
  std::atomic<bool> stop{false};
  std::thread stopper([&] {
    std::this_thread::sleep_for(Ms(50));
    stop = true;
  });
  auto t0 = Clock::now();
  ProbeResult r = run_probe(c, silent.ep(), &stop);
  stopper.join();
  release = true;
  EXPECT_FALSE(r.ok);
  EXPECT_LT(elapsed_ms(t0), 200);
}

// A fake DNS server: echoes the question with QR set and the given RCODE (and the id
// optionally corrupted).
std::string dns_answer(const std::string& q, int rcode, bool bad_id = false) {
  std::string a = q;
  a[2] = static_cast<char>(a[2] | 0x80);
  a[3] = static_cast<char>((a[3] & 0xf0) | rcode);
  if (bad_id) a[0] = static_cast<char>(a[0] ^ 0xff);
  return a;
}

TEST(DnsProbe, QueryBytes) {
  auto q = dns_query(0x1234, "example.com", *dns_type_code("a"));
  std::vector<uint8_t> want = {0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e',
                               3, 'c', 'o', 'm', 0, 0, 1, 0, 1};
  EXPECT_EQ(q, want);
  auto root = dns_query(1, ".", *dns_type_code("SOA"));
  EXPECT_EQ(root.size(), 12u + 1 + 4);
  EXPECT_FALSE(dns_type_code("PTR"));
}

TEST(DnsProbe, AnswerRcodeAndTimeout) {
  std::atomic<int> rcode{0};
  std::atomic<bool> silent{false};
  UdpServer dns([&](const std::string& q) { return silent ? std::string() : dns_answer(q, rcode); });
  auto c = checker(config::Checker::Dns, 200);
  c.dns_type = "A";
  c.dns_name = "example.com";
  ProbeResult r = probe_dns(c, dns.ep(), Deadline::after(200));
  EXPECT_TRUE(r.ok) << r.message;
  rcode = 3;  // NXDOMAIN
  EXPECT_FALSE(probe_dns(c, dns.ep(), Deadline::after(200)).ok);
  silent = true;
  r = probe_dns(c, dns.ep(), Deadline::after(150));
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.message.find("timeout"), std::string::npos) << r.message;
}

TEST(DnsProbe, QuestionMustBeEchoed) {
  UdpServer dns([](const std::string& q) {
    std::string a = dns_answer(q, 0);
    a[13] = 'X';  // alter the first label
    return a;
  });
  auto c = checker(config::Checker::Dns, 200);
  c.dns_name = "example.com";
  ProbeResult r = probe_dns(c, dns.ep(), Deadline::after(200));
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.message.find("question"), std::string::npos) << r.message;
}

struct SmtpServer {
  std::string greeting, helo_reply;
  bool helo_sent = false;
  std::mutex mu;
  std::string seen;
  TcpServer server{[this](int fd) {
    send_str(fd, greeting);
    std::string got;
    char buf[512];
    while (got.find("QUIT\r\n") == std::string::npos) {
      pollfd p{fd, POLLIN, 0};
      if (poll(&p, 1, 200) <= 0) break;
      ssize_t n = recv(fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      got.append(buf, static_cast<size_t>(n));
      if (got.find("HELO") != std::string::npos && got.find("\r\n") != std::string::npos &&
          got.find("QUIT") == std::string::npos && !helo_sent) {
        send_str(fd, helo_reply);
        helo_sent = true;
      }
    }
    helo_sent = false;
    std::lock_guard l(mu);
    seen = got;
  }};
  SmtpServer(std::string g, std::string h) : greeting(std::move(g)), helo_reply(std::move(h)) {}
};

TEST(SmtpProbe, GreetingHeloQuit) {
  SmtpServer srv("220-mail.example.com ESMTP\r\n220 ready\r\n", "250 hello\r\n");
  auto c = checker(config::Checker::Smtp);
  c.helo_name = "lb.example.com";
  ProbeResult r = probe_smtp(c, srv.server.ep(), Deadline::after(300));
  EXPECT_TRUE(r.ok) << r.message;
  std::this_thread::sleep_for(Ms(50));
  std::lock_guard l(srv.mu);
  EXPECT_EQ(srv.seen, "HELO lb.example.com\r\nQUIT\r\n");
}

TEST(SmtpProbe, BadGreetingOrHeloIsDown) {
  SmtpServer busy("554 go away\r\n", "250 hi\r\n");
  auto c = checker(config::Checker::Smtp, 200);
  EXPECT_FALSE(probe_smtp(c, busy.server.ep(), Deadline::after(200)).ok);
  SmtpServer refuse("220 ok\r\n", "501 bad helo\r\n");
  ProbeResult r = probe_smtp(c, refuse.server.ep(), Deadline::after(200));
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.message.find("501"), std::string::npos) << r.message;
  EXPECT_EQ(smtp_reply_code("250-a\r\n"), 0);
  EXPECT_EQ(smtp_reply_code("250-a\r\n250 b\r\n"), 250);
}

TEST(UdpProbe, RequireReplyPrefix) {
  UdpServer echo([](const std::string& d) { return "PONG:" + d; });
  auto c = checker(config::Checker::Udp, 200);
  c.payload = {'p', 'i', 'n', 'g'};
  c.require_reply = std::vector<uint8_t>{'P', 'O', 'N', 'G'};
  ProbeResult r = probe_udp(c, echo.ep(), Deadline::after(200));
  EXPECT_TRUE(r.ok) << r.message;
  c.require_reply = std::vector<uint8_t>{'N', 'O'};
  EXPECT_FALSE(probe_udp(c, echo.ep(), Deadline::after(200)).ok);
  c.require_reply = std::vector<uint8_t>{};  // require_reply without data: any reply
  EXPECT_TRUE(probe_udp(c, echo.ep(), Deadline::after(200)).ok);
  c.min_reply_length = 100;
  EXPECT_FALSE(probe_udp(c, echo.ep(), Deadline::after(200)).ok);
}

TEST(UdpProbe, RequireReplyTimesOut) {
  UdpServer silent([](const std::string&) { return std::string(); });
  auto c = checker(config::Checker::Udp, 150);
  c.require_reply = std::vector<uint8_t>{};
  EXPECT_FALSE(probe_udp(c, silent.ep(), Deadline::after(150)).ok);
}

TEST(UdpProbe, WithoutReplyOnlyPortUnreachableIsDown) {
  UdpServer silent([](const std::string&) { return std::string(); });
  auto c = checker(config::Checker::Udp, 150);
  c.payload = {1, 2, 3};
  EXPECT_TRUE(probe_udp(c, silent.ep(), Deadline::after(150)).ok);
  uint16_t port;
  close(bound_socket(SOCK_DGRAM, &port));
  ProbeResult r = probe_udp(c, local(port), Deadline::after(150));
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.message.find("refused"), std::string::npos) << r.message;
}

TEST(PingProbe, LoopbackAnswers) {
  auto c = checker(config::Checker::Ping, 300);
  ProbeResult r = probe_ping(c, *net::Addr::parse("127.0.0.1"), Deadline::after(300));
  if (!r.ok && (r.message.find("socket") != std::string::npos))
    GTEST_SKIP() << "no ping socket permission: " << r.message;
  EXPECT_TRUE(r.ok) << r.message;
}

// keepalived 2.2.7's PING_CHECK never binds its socket: bindto, bind_if and fwmark are
// accepted and ignored, so a bindto that is not a local address does not fail the check
// (it did here, and the real server left the pool where keepalived kept it).
TEST(PingProbe, BindOptionsAreIgnoredLikeKeepalived) {
  auto c = checker(config::Checker::Ping, 300);
  c.bindto = net::Addr::parse("192.0.2.55");  // not a local address: bind() would fail
  c.bind_if = "no-such-if0";
  c.fwmark = 7;
  ProbeResult r = run_probe(c, *net::Endpoint::parse("127.0.0.1:0"));
  if (!r.ok && (r.message.find("socket") != std::string::npos))
    GTEST_SKIP() << "no ping socket permission: " << r.message;
  EXPECT_TRUE(r.ok) << r.message;
}
