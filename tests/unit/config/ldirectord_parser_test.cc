// ldirectord_parser_test.cc — ldirectord.cf → the keepalived model: every keyword, the
// defaults of ldirectord 4.12, and errors / warnings with file:line.
#include "config/ldirectord_parser.h"

#include <gtest/gtest.h>

namespace ulvs::config {
namespace {

std::optional<KeepalivedConfig> parse(const std::string& text, Diagnostics& d) {
  return parse_ldirectord_text(text, "ld.cf", d);
}

bool has(const Diagnostics& d, Diagnostic::Level l, const std::string& where, const std::string& part) {
  for (const auto& x : d)
    if (x.level == l && x.where.str() == where && x.message.find(part) != std::string::npos) return true;
  return false;
}

TEST(LdirectordParser, Detection) {
  EXPECT_TRUE(looks_like_ldirectord("# c\nvirtual=10.0.0.1:80\n"));
  EXPECT_TRUE(looks_like_ldirectord("checktimeout=3\n  virtual = 1\n"));
  EXPECT_FALSE(looks_like_ldirectord("virtual_server 10.0.0.1 80 {\n}\n"));
}

TEST(LdirectordParser, FullVirtual) {
  Diagnostics d;
  auto cfg = parse(
      "checktimeout=3\nnegotiatetimeout=7\ncheckinterval=4\nfailurecount=3\nquiescent=yes\n"
      "emailalert=\"ops@example.com\"\n"
      "virtual=10.0.0.1:80\n"
      "\treal=10.1.0.1:8080 masq 5 \"check\" \"alive\"\n"
      "\treal=10.1.0.2 gate\n"
      "\treal=10.1.0.3->10.1.0.4:81 ipip 2 l:1 u:9\n"
      "\tfallback=127.0.0.1:8000 masq\n"
      "\tservice=http\n\trequest=\"index.html\"\n\treceive=\"Test Page\"\n\tvirtualhost=www.x.org\n"
      "\tscheduler=rr\n\tpersistent=600\n\tnetmask=255.255.255.0\n\tprotocol=tcp\n\tcheckport=8081\n"
      "\temailalert=more@example.com\n",
      d);
  ASSERT_TRUE(cfg) << (d.empty() ? "" : d[0].message);
  EXPECT_EQ(cfg->global.notification_email, (std::vector<std::string>{"ops@example.com", "more@example.com"}));
  ASSERT_EQ(cfg->virtual_servers.size(), 1u);
  const auto& vs = cfg->virtual_servers[0];
  EXPECT_EQ(vs.keys[0].ep.str(), "10.0.0.1:80");
  EXPECT_EQ(vs.keys[0].protocol, ipvs::proto::kTcp);
  EXPECT_EQ(vs.scheduler, "rr");
  EXPECT_EQ(vs.persistence_timeout, 600u);
  EXPECT_EQ(vs.persistence_granularity->str(), "255.255.255.0");
  EXPECT_EQ(vs.delay_loop, 4000);
  ASSERT_TRUE(vs.sorry_server);
  EXPECT_EQ(vs.sorry_server->ep.str(), "127.0.0.1:8000");
  EXPECT_EQ(vs.sorry_server->fwd, ipvs::Fwd::Masq);
  ASSERT_EQ(vs.real_servers.size(), 4u);
  const auto& r0 = vs.real_servers[0];
  EXPECT_EQ(r0.ep.str(), "10.1.0.1:8080");
  EXPECT_EQ(r0.fwd, ipvs::Fwd::Masq);
  EXPECT_EQ(r0.weight, 5);
  EXPECT_TRUE(r0.inhibit_on_failure);
  ASSERT_EQ(r0.checkers.size(), 1u);
  const auto& c = r0.checkers[0];
  EXPECT_EQ(c.type, Checker::Http);
  EXPECT_EQ(c.urls[0].path, "/check");  // the real's own request/receive win
  EXPECT_EQ(c.urls[0].regex, "alive");
  EXPECT_EQ(c.virtualhost, "www.x.org");
  EXPECT_EQ(c.connect_port, 8081);
  EXPECT_EQ(c.connect_timeout, 7000);   // negotiatetimeout
  EXPECT_EQ(c.retry, 2);                // failurecount - 1
  EXPECT_EQ(c.delay_loop, 4000);
  EXPECT_EQ(vs.real_servers[1].ep.str(), "10.1.0.2:80");  // no port: the virtual's
  EXPECT_EQ(vs.real_servers[1].fwd, ipvs::Fwd::Route);
  EXPECT_EQ(vs.real_servers[1].weight, 1);
  EXPECT_EQ(vs.real_servers[1].checkers[0].urls[0].path, "/index.html");
  EXPECT_EQ(vs.real_servers[1].checkers[0].urls[0].regex, "Test Page");
  EXPECT_EQ(vs.real_servers[2].ep.str(), "10.1.0.3:81");
  EXPECT_EQ(vs.real_servers[3].ep.str(), "10.1.0.4:81");
  EXPECT_EQ(vs.real_servers[3].fwd, ipvs::Fwd::Tunnel);
  EXPECT_EQ(vs.real_servers[3].lthreshold, 1u);
  EXPECT_EQ(vs.real_servers[3].uthreshold, 9u);
}

TEST(LdirectordParser, Defaults) {
  Diagnostics d;
  auto cfg = parse("virtual=10.0.0.1:80\n    real=10.1.0.1:80 gate\nvirtual=10.0.0.2:53\n    real=10.1.0.1:53 masq\n"
                   "    checktype=connect\nvirtual=7\n    real=10.1.0.9 gate\n",
                   d);
  ASSERT_TRUE(cfg);
  const auto& a = cfg->virtual_servers[0];
  EXPECT_EQ(a.scheduler, "wrr");
  EXPECT_EQ(a.persistence_timeout, 0u);
  EXPECT_FALSE(a.sorry_server);
  const auto& c = a.real_servers[0].checkers.at(0);
  EXPECT_EQ(c.type, Checker::Http);  // negotiate, service http from port 80
  EXPECT_EQ(c.urls[0].path, "/");
  EXPECT_EQ(c.connect_timeout, 30000);
  EXPECT_EQ(c.delay_loop, 10000);
  EXPECT_EQ(c.retry, 0);
  EXPECT_FALSE(a.real_servers[0].inhibit_on_failure);  // quiescent=no in 4.12
  const auto& b = cfg->virtual_servers[1];
  EXPECT_EQ(b.keys[0].protocol, ipvs::proto::kUdp);  // port 53
  EXPECT_EQ(b.real_servers[0].checkers.at(0).type, Checker::Ping);  // connect on udp
  EXPECT_EQ(b.real_servers[0].checkers.at(0).connect_timeout, 5000);
  const auto& f = cfg->virtual_servers[2];
  EXPECT_EQ(f.keys[0].fwmark, 7u);
  EXPECT_EQ(f.real_servers[0].ep.port, 0);
  EXPECT_TRUE(f.real_servers[0].checkers.empty());  // service none: always up
}

TEST(LdirectordParser, CheckTypes) {
  Diagnostics d;
  auto cfg = parse(
      "fallback=10.9.9.9\n"
      "virtual=10.0.0.1:80\n real=10.1.0.1:80 gate\n checktype=on\n"
      "virtual=10.0.0.2:80\n real=10.1.0.1:80 gate\n checktype=off\n"
      "virtual=10.0.0.3:80\n real=10.1.0.1:80 gate\n checktype=ping\n"
      "virtual=10.0.0.4:443\n real=10.1.0.1:443 gate\n checktype=3\n"
      "virtual=10.0.0.5:25\n real=10.1.0.1:25 gate\n checktype=negotiate\n"
      "virtual=10.0.0.6:80\n real=10.1.0.1:80 gate\n checktype=external\n checkcommand=\"/bin/chk\"\n"
      "virtual=10.0.0.7:80\n real=10.1.0.1:80 gate\n checktype=connect\n protocol=udp\n",
      d);
  ASSERT_TRUE(cfg);
  const auto& v = cfg->virtual_servers;
  EXPECT_TRUE(v[0].real_servers[0].checkers.empty());
  EXPECT_TRUE(v[1].real_servers.empty());  // off: never added
  EXPECT_EQ(v[1].sorry_server->ep.str(), "10.9.9.9:80");  // global fallback, the virtual's port
  EXPECT_EQ(v[1].sorry_server->fwd, ipvs::Fwd::Route);
  EXPECT_EQ(v[2].real_servers[0].checkers[0].type, Checker::Ping);
  EXPECT_EQ(v[3].real_servers[0].checkers[0].type, Checker::Ssl);
  EXPECT_TRUE(has(d, Diagnostic::Warning, "ld.cf:13", "approximated"));
  EXPECT_EQ(v[4].real_servers[0].checkers[0].type, Checker::Tcp);  // smtp negotiate → connect
  EXPECT_TRUE(has(d, Diagnostic::Warning, "ld.cf:14", "http/https only"));
  EXPECT_EQ(v[5].real_servers[0].checkers[0].type, Checker::Misc);
  EXPECT_EQ(v[5].real_servers[0].checkers[0].misc_path.command, "/bin/chk 10.0.0.6 80 10.1.0.1 80");
  EXPECT_EQ(v[6].keys[0].protocol, ipvs::proto::kUdp);
  EXPECT_EQ(v[6].real_servers[0].checkers[0].type, Checker::Ping);
}

TEST(LdirectordParser, TimeoutsCascade) {
  Diagnostics d;
  auto cfg = parse("negotiatetimeout=9\nvirtual=10.0.0.1:80\n real=10.1.0.1:80 gate\n checktype=connect\n"
                   "virtual=10.0.0.2:80\n real=10.1.0.1:80 gate\n checktimeout=4\n quiescent=no\n"
                   " connecttimeout=6\n",
                   d);
  ASSERT_TRUE(cfg);
  EXPECT_EQ(cfg->virtual_servers[0].real_servers[0].checkers[0].connect_timeout, 9000);  // falls back to negotiate
  EXPECT_EQ(cfg->virtual_servers[1].real_servers[0].checkers[0].connect_timeout, 6000);  // connecttimeout sets both
  EXPECT_TRUE(has(d, Diagnostic::Warning, "ld.cf:9", "deprecated"));
}

TEST(LdirectordParser, Errors) {
  struct Case { const char* text; const char* where; const char* part; };
  const Case cases[] = {
      {"virtual=10.0.0.1\n", "ld.cf:1", "invalid address"},
      {"virtual=10.0.0.1:80\n real=10.1.0.1:80 nat\n", "ld.cf:2", "invalid real server"},
      {"virtual=10.0.0.1:80\n real=10.1.0.300:80 gate\n", "ld.cf:2", "invalid address"},
      {"virtual=10.0.0.1:80\n real=10.1.0.1:80 gate 70000\n", "ld.cf:2", "weight"},
      {"virtual=10.0.0.1:80\n real=10.1.0.1:80 gate\n real=10.1.0.1:80 masq\n", "ld.cf:3", "duplicate real"},
      {"virtual=10.0.0.1:80\n checktype=sometimes\n", "ld.cf:2", "checktype"},
      {"virtual=10.0.0.1:80\n service=gopher\n", "ld.cf:2", "service"},
      {"virtual=10.0.0.1:80\n protocol=fwm\n", "ld.cf:2", "protocol"},
      {"virtual=5\n protocol=tcp\n", "ld.cf:2", "protocol"},
      {"virtual=10.0.0.1:80\n quiescent=maybe\n", "ld.cf:2", "quiescent"},
      {"virtual=10.0.0.1:80\n netmask=24\n", "ld.cf:2", "netmask"},
      {"virtual=10.0.0.1:80\n persistent=x\n", "ld.cf:2", "persistent"},
      {"virtual=10.0.0.1:80\n checkport=0\n", "ld.cf:2", "checkport"},
      {"virtual=10.0.0.1:80\n scheduler=RR\n", "ld.cf:2", "scheduler"},
      {"virtual=10.0.0.1:80\n fallback=10.9.9.9:80 nat\n", "ld.cf:2", "forward method"},
      {"checkinterval=0\n", "ld.cf:1", "check interval"},
      {"failurecount=x\n", "ld.cf:1", "failure count"},
      {"checktimeout=-1\n", "ld.cf:1", "check timeout"},
      {"emailalert=\n", "ld.cf:1", "email"},
      {"real=10.1.0.1:80 gate\n", "ld.cf:1", "belongs to a virtual"},
      {" real=10.1.0.1:80 gate\n", "ld.cf:1", "no virtual="},
      {"virtual=10.0.0.1:80\nvirtual=10.0.0.1:80\n", "ld.cf:2", "duplicate virtual"},
      {"virtual=10.0.0.1:80\n request=\"\"\n", "ld.cf:2", "request"},
      {"virtual=10.0.0.1:80\n garbage\n", "ld.cf:2", "KEYWORD=VALUE"},
  };
  for (const auto& c : cases) {
    Diagnostics d;
    EXPECT_FALSE(parse(c.text, d)) << c.text;
    EXPECT_TRUE(has(d, Diagnostic::Error, c.where, c.part)) << c.text << (d.empty() ? "" : " → " + d[0].where.str() + ": " + d[0].message);
  }
}

// IPv6 as ldirectord 4.12 writes it: virtual6= / real6= / fallback6=, addresses in brackets.
TEST(LdirectordParser, Ipv6) {
  Diagnostics d;
  auto cfg = parse(
      "fallback6=[2001:db8:ff::1]:8080 masq\n"
      "fallback=10.9.9.9\n"
      "virtual6=[2001:db8::1]:80\n"
      "\treal6=[2001:db8:1::1]:8080 masq 5\n"
      "\treal6=[2001:DB8:1:0::2] gate\n"
      "\treal6=[2001:db8:1::3]:http ipip 2 \"/health\" \"ok\"\n"
      "\tscheduler=wlc\n\tpersistent=600\n\tnetmask=64\n"
      "virtual6=[2001:db8::1]:53\n"
      "\treal6=[2001:db8:1::1] gate\n\tchecktype=connect\n"
      "virtual6=[2001:db8::2]:https\n"
      "\treal6=[2001:db8:1::1] gate\n\tfallback6=[::1] ipip\n"
      "virtual6=[2001:db8::3]:25\n"
      "\treal6=[2001:db8:1::1]:2525 gate\n\tchecktype=external\n\tcheckcommand=\"/bin/chk\"\n"
      "virtual6=100\n\treal6=[2001:db8:1::9] gate\n"
      "virtual=100\n\treal=10.1.0.9 gate\n"
      "virtual=10.0.0.1:80\n\treal=10.1.0.1 gate\n\tchecktype=off\n",
      d);
  ASSERT_TRUE(cfg) << (d.empty() ? "" : d[0].where.str() + ": " + d[0].message);
  const auto& v = cfg->virtual_servers;
  ASSERT_EQ(v.size(), 7u);

  const auto& web = v[0];
  EXPECT_EQ(web.keys[0].ep.str(), "[2001:db8::1]:80");
  EXPECT_EQ(web.keys[0].protocol, ipvs::proto::kTcp);
  EXPECT_EQ(web.scheduler, "wlc");
  EXPECT_EQ(web.persistence_timeout, 600u);
  ASSERT_TRUE(web.persistence_granularity);
  EXPECT_EQ(web.persistence_granularity->str(), "ffff:ffff:ffff:ffff::");  // prefix 64 as a mask
  ASSERT_EQ(web.real_servers.size(), 3u);
  EXPECT_EQ(web.real_servers[0].ep.str(), "[2001:db8:1::1]:8080");
  EXPECT_EQ(web.real_servers[0].fwd, ipvs::Fwd::Masq);
  EXPECT_EQ(web.real_servers[0].weight, 5);
  EXPECT_EQ(web.real_servers[1].ep.str(), "[2001:db8:1::2]:80");  // no port: the virtual's
  EXPECT_EQ(web.real_servers[1].fwd, ipvs::Fwd::Route);
  EXPECT_EQ(web.real_servers[2].ep.str(), "[2001:db8:1::3]:80");  // a service name
  EXPECT_EQ(web.real_servers[2].fwd, ipvs::Fwd::Tunnel);
  EXPECT_EQ(web.real_servers[2].checkers.at(0).type, Checker::Http);
  EXPECT_EQ(web.real_servers[2].checkers[0].urls[0].path, "/health");
  ASSERT_TRUE(web.sorry_server);  // the global fallback6=, not fallback=
  EXPECT_EQ(web.sorry_server->ep.str(), "[2001:db8:ff::1]:8080");
  EXPECT_EQ(web.sorry_server->fwd, ipvs::Fwd::Masq);

  EXPECT_EQ(v[1].keys[0].protocol, ipvs::proto::kUdp);  // port 53
  EXPECT_EQ(v[1].real_servers[0].ep.str(), "[2001:db8:1::1]:53");
  EXPECT_EQ(v[1].real_servers[0].checkers.at(0).type, Checker::Ping);
  EXPECT_EQ(v[1].sorry_server->ep.str(), "[2001:db8:ff::1]:8080");

  EXPECT_EQ(v[2].keys[0].ep.str(), "[2001:db8::2]:443");
  EXPECT_EQ(v[2].real_servers[0].checkers.at(0).type, Checker::Ssl);
  EXPECT_EQ(v[2].sorry_server->ep.str(), "[::1]:443");  // its own fallback6, the virtual's port
  EXPECT_EQ(v[2].sorry_server->fwd, ipvs::Fwd::Tunnel);

  // ldirectord hands the check command its addresses with their brackets.
  EXPECT_EQ(v[3].real_servers[0].checkers.at(0).misc_path.command,
            "/bin/chk [2001:db8::3] 25 [2001:db8:1::1] 2525");

  const auto& fwm6 = v[4];  // ipvsadm -A -f 100 -6, next to the IPv4 fwm 100
  EXPECT_EQ(fwm6.keys[0].fwmark, 100u);
  EXPECT_EQ(fwm6.keys[0].family, net::Family::V6);
  EXPECT_TRUE(fwm6.real_servers[0].ep.addr.is_v6());
  EXPECT_EQ(fwm6.real_servers[0].ep.port, 0);
  EXPECT_FALSE(fwm6.sorry_server);  // no global fallback for a fwmark service
  EXPECT_EQ(v[5].keys[0].family, net::Family::V4);
  EXPECT_FALSE(v[5].sorry_server);

  EXPECT_EQ(v[6].sorry_server->ep.str(), "10.9.9.9:80");  // the IPv4 global fallback
  EXPECT_TRUE(d.empty()) << d[0].where.str() + ": " + d[0].message;
}

// fallback6= splits a trailing ":PORT" off as ldirectord does: brackets keep an address whole,
// an unbracketed one passes only when it ends in "::" (nothing there looks like a port).
TEST(LdirectordParser, Ipv6FallbackForms) {
  Diagnostics d;
  auto cfg = parse("virtual6=[2001:db8::1]:80\n\tfallback6=[2001:db8::9]\n"
                   "virtual6=[2001:db8::2]:80\n\tfallback6=[2001:db8::9]:81 masq\n"
                   "virtual6=[2001:db8::3]:80\n\tfallback6=2001:db8:: gate\n",
                   d);
  ASSERT_TRUE(cfg) << (d.empty() ? "" : d[0].where.str() + ": " + d[0].message);
  EXPECT_EQ(cfg->virtual_servers[0].sorry_server->ep.str(), "[2001:db8::9]:80");
  EXPECT_EQ(cfg->virtual_servers[0].sorry_server->fwd, ipvs::Fwd::Route);
  EXPECT_EQ(cfg->virtual_servers[1].sorry_server->ep.str(), "[2001:db8::9]:81");
  EXPECT_EQ(cfg->virtual_servers[2].sorry_server->ep.str(), "[2001:db8::]:80");
}

// What ldirectord 4.12 refuses, each checked against it (ldirectord-oracle): an Error at the
// line, no configuration.
TEST(LdirectordParser, Ipv6Errors) {
  struct Case { const char* text; const char* where; const char* part; };
  const Case cases[] = {
      {"virtual=[2001:db8::1]:80\n", "ld.cf:1", "virtual6="},
      {"virtual6=2001:db8::1:80\n", "ld.cf:1", "invalid address"},
      {"virtual6=[2001:db8::1]\n", "ld.cf:1", "invalid address"},
      {"virtual6=10.0.0.1:80\n", "ld.cf:1", "invalid address"},
      {"virtual6=[10.0.0.1]:80\n", "ld.cf:1", "invalid address"},
      {"virtual6=[::ffff:10.0.0.1]:80\n", "ld.cf:1", "invalid address"},
      {"virtual6=[fe80::1%eth0]:80\n", "ld.cf:1", "invalid address"},
      {"virtual6=[2001:db8::1::2]:80\n", "ld.cf:1", "invalid address"},
      {"virtual6=[2001:db8::1]:80\nvirtual6=[2001:db8:0::1]:80\n", "ld.cf:2", "duplicate virtual"},
      {"virtual6=[2001:db8::1]:80\n real=10.1.0.1:80 gate\n", "ld.cf:2", "write real6="},
      {"virtual=10.0.0.1:80\n real6=[2001:db8::2] gate\n", "ld.cf:2", "write real="},
      {"virtual6=[2001:db8::1]:80\n fallback=10.9.9.9\n", "ld.cf:2", "write fallback6="},
      {"virtual=10.0.0.1:80\n fallback6=[::1]\n", "ld.cf:2", "write fallback="},
      {"virtual6=[2001:db8::1]:80\n real6=2001:db8::2 gate\n", "ld.cf:2", "invalid real server"},
      {"virtual6=[2001:db8::1]:80\n real6=[10.0.0.2] gate\n", "ld.cf:2", "invalid real server"},
      {"virtual6=[2001:db8::1]:80\n real6=[2001:db8::2]\n", "ld.cf:2", "invalid real server"},
      {"virtual6=[2001:db8::1]:80\n real6=10.0.0.2:80 gate\n", "ld.cf:2", "invalid IPv6 address"},
      {"virtual6=[2001:db8::1]:80\n real6=[2001:db8::2::3] gate\n", "ld.cf:2", "invalid IPv6 address"},
      {"virtual6=[2001:db8::1]:80\n real6=[2001:db8::2]->[2001:db8::4] gate\n", "ld.cf:2", "IPv4 only"},
      {"virtual6=[2001:db8::1]:80\n real6=[2001:db8::2]:99999 gate\n", "ld.cf:2", "invalid port"},
      {"virtual6=[2001:db8::1]:80\n real6=[2001:db8::2]:80 gate\n real6=[2001:db8:0::2] masq\n", "ld.cf:3",
       "duplicate real"},
      {"virtual6=[2001:db8::1]:80\n netmask=0\n", "ld.cf:2", "prefix length"},
      {"virtual6=[2001:db8::1]:80\n netmask=129\n", "ld.cf:2", "prefix length"},
      {"virtual6=[2001:db8::1]:80\n netmask=/64\n", "ld.cf:2", "prefix length"},
      {"virtual6=[2001:db8::1]:80\n netmask=255.255.255.0\n", "ld.cf:2", "prefix length"},
      {"virtual6=[2001:db8::1]:80\n fallback6=10.9.9.9:80\n", "ld.cf:2", "invalid fallback"},
      {"virtual6=[2001:db8::1]:80\n fallback6=2001:db8::9\n", "ld.cf:2", "invalid fallback"},
      {"virtual6=[2001:db8::1]:80\n fallback6=[2001:db8::9] nat\n", "ld.cf:2", "forward method"},
      {"fallback6=10.9.9.9\n", "ld.cf:1", "invalid fallback"},
      {"fallback=[::1]:80\n", "ld.cf:1", "invalid fallback"},
      {"real6=[::1]:80 gate\n", "ld.cf:1", "belongs to a virtual"},
      {"virtual6=100\n protocol=tcp\n", "ld.cf:2", "protocol"},
  };
  for (const auto& c : cases) {
    Diagnostics d;
    EXPECT_FALSE(parse(c.text, d)) << c.text;
    EXPECT_TRUE(has(d, Diagnostic::Error, c.where, c.part))
        << c.text << (d.empty() ? "" : " → " + d[0].where.str() + ": " + d[0].message);
  }
}

TEST(LdirectordParser, UnknownKeywordsWarn) {
  Diagnostics d;
  auto cfg = parse("frobnicate=1\nlogfile=\"/tmp/x\"\nvirtual=10.0.0.1:80\n real=10.1.0.1:80 gate\n wibble=2\n"
                   " login=\"u\"\n",
                   d);
  ASSERT_TRUE(cfg);
  EXPECT_TRUE(has(d, Diagnostic::Warning, "ld.cf:1", "frobnicate"));
  EXPECT_TRUE(has(d, Diagnostic::Warning, "ld.cf:5", "wibble"));
  EXPECT_EQ(d.size(), 2u);
}

}  // namespace
}  // namespace ulvs::config
