// keepalived_parser_test.cc — keepalived.conf keywords → KeepalivedConfig: every keyword
// family, the virtual_server → real_server → checker cascade and per-type defaults, and every
// error kind with its exact file:line.
#include <gtest/gtest.h>

#include "config/keepalived_parser.h"

namespace ulvs::config {
namespace {

std::string dump(const Diagnostics& diag) {
  std::string s;
  for (auto& d : diag) s += (d.level == Diagnostic::Error ? "E " : "W ") + d.where.str() + ": " + d.message + "\n";
  return s;
}

KeepalivedConfig ok(const std::string& text, Diagnostics* out = nullptr) {
  Diagnostics diag;
  auto cfg = parse_keepalived_text(text, "k.conf", diag, {std::string("")});
  EXPECT_TRUE(cfg) << dump(diag);
  for (auto& d : diag) EXPECT_EQ(d.level, Diagnostic::Warning) << dump(diag);
  if (out) *out = diag;
  return cfg ? *cfg : KeepalivedConfig{};
}

// Expects a failed load whose first Error is at k.conf:LINE and mentions `what`.
void bad(const std::string& text, int line, const std::string& what) {
  Diagnostics diag;
  auto cfg = parse_keepalived_text(text, "k.conf", diag, {std::string("")});
  EXPECT_FALSE(cfg) << text;
  auto e = std::find_if(diag.begin(), diag.end(), [](auto& d) { return d.level == Diagnostic::Error; });
  ASSERT_NE(e, diag.end()) << text;
  EXPECT_EQ(e->where.str(), "k.conf:" + std::to_string(line)) << dump(diag);
  EXPECT_NE(e->message.find(what), std::string::npos) << e->message;
}

bool has_warning(const Diagnostics& diag, const std::string& at, const std::string& what) {
  return std::any_of(diag.begin(), diag.end(), [&](auto& d) {
    return d.level == Diagnostic::Warning && d.where.str() == at && d.message.find(what) != std::string::npos;
  });
}

std::string vs(const std::string& body, const std::string& head = "10.0.0.1 80") {
  return "virtual_server " + head + " {\n" + body + "}\n";
}

TEST(KeepalivedGlobalDefs, Keywords) {
  auto cfg = ok(R"(global_defs {
  router_id LB1
  notification_email {
    a@x.org
    b@x.org
  }
  notification_email_from lvs@x.org
  smtp_server mail.x.org 2525
  smtp_connect_timeout 12.5
  smtp_alert
  lvs_timeouts tcp 900 udp 30
  lvs_flush
  script_user nobody nogroup
  enable_script_security
  vrrp_garp_master_delay 5
  checker_log_all_failures yes
}
virtual_server 10.0.0.1 80 { protocol TCP lb_algo rr lb_kind DR
  real_server 10.0.0.2 80 { TCP_CHECK { } }
}
)");
  auto& g = cfg.global;
  EXPECT_EQ(g.router_id, "LB1");
  EXPECT_EQ(g.notification_email, (std::vector<std::string>{"a@x.org", "b@x.org"}));
  EXPECT_EQ(g.notification_email_from, "lvs@x.org");
  EXPECT_EQ(g.smtp_server, "mail.x.org");
  EXPECT_EQ(g.smtp_port, 2525);
  EXPECT_EQ(g.smtp_connect_timeout, 12500);
  EXPECT_EQ(g.smtp_alert, true);
  ASSERT_TRUE(g.lvs_timeouts);
  EXPECT_EQ(*g.lvs_timeouts, (std::array<uint32_t, 3>{900, 0, 30}));
  EXPECT_TRUE(g.lvs_flush);
  EXPECT_EQ(g.script_user, "nobody");
  EXPECT_EQ(g.script_group, "nogroup");
  EXPECT_TRUE(g.enable_script_security);
  EXPECT_TRUE(cfg.virtual_servers.at(0).real_servers.at(0).checkers.at(0).log_all_failures);
}

TEST(KeepalivedGlobalDefs, UnknownKeywordWarnsAndSkipsBlock) {
  Diagnostics diag;
  ok("global_defs {\n  no_such_thing 1\n  odd_block {\n    x\n  }\n}\nmystery {\n}\n", &diag);
  EXPECT_TRUE(has_warning(diag, "k.conf:2", "no_such_thing"));
  EXPECT_TRUE(has_warning(diag, "k.conf:3", "block skipped"));
  EXPECT_TRUE(has_warning(diag, "k.conf:7", "mystery"));
}

// The SSL block may follow the virtual_servers; only SSL_GET checkers receive it.
TEST(KeepalivedSsl, BlockReachesSslGetCheckers) {
  Diagnostics diag;
  auto cfg = ok(vs(R"(  protocol TCP
  lb_algo rr
  real_server 10.1.0.1 443 {
    SSL_GET { url { path / } }
    HTTP_GET { url { path / } }
  }
  sorry_server 10.1.0.9 443
)") + R"(SSL {
  password s3cret
  ca /etc/k/ca.pem
  certificate /etc/k/client.pem
  key /etc/k/client.key
  cipher_list ALL
}
)", &diag);
  SslClient want{.password = "s3cret", .ca = "/etc/k/ca.pem", .certificate = "/etc/k/client.pem",
                 .key = "/etc/k/client.key"};
  EXPECT_EQ(cfg.global.ssl, want);
  auto& c = cfg.virtual_servers.at(0).real_servers.at(0).checkers;
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].ssl, want);
  EXPECT_EQ(c[1].ssl, SslClient{});  // HTTP_GET: not a TLS checker
  EXPECT_TRUE(has_warning(diag, "k.conf:15", "unknown keyword 'cipher_list' in SSL"));
  EXPECT_FALSE(has_warning(diag, "k.conf:10", "not supported"));

  // A second block replaces the first, as keepalived does.
  Diagnostics d2;
  auto two = ok("SSL {\n  key /a.key\n}\nSSL {\n  certificate /b.pem\n}\n", &d2);
  EXPECT_EQ(two.global.ssl, (SslClient{.certificate = "/b.pem"}));
  EXPECT_TRUE(has_warning(d2, "k.conf:4", "replacing"));
}

TEST(KeepalivedSsl, MissingArgumentIsAnError) {
  bad("SSL {\n  password s\n  certificate\n}\n", 3, "certificate: missing value");
  bad("SSL {\n  key\n}\n", 2, "key");
  bad("SSL {\n  ca\n}\n", 2, "ca");
  bad("SSL {\n  password\n}\n", 2, "password");
}

TEST(KeepalivedVrrp, BlocksRecordedWithWarning) {
  Diagnostics diag;
  auto cfg = ok(R"(vrrp_script chk { script "killall -0 x" interval 2 }
vrrp_instance VI_1 {
  state MASTER
  virtual_ipaddress {
    10.0.0.1/24
  }
  track_script { chk }
}
vrrp_sync_group G { group { VI_1 } }
)", &diag);
  ASSERT_EQ(cfg.vrrp.size(), 3u);
  EXPECT_EQ(cfg.vrrp[1].kind, "vrrp_instance");
  EXPECT_EQ(cfg.vrrp[1].name, "VI_1");
  EXPECT_EQ(cfg.vrrp[1].where.str(), "k.conf:2");
  EXPECT_EQ(cfg.vrrp[2].kind, "vrrp_sync_group");
  EXPECT_TRUE(has_warning(diag, "k.conf:2", "not active yet"));
}

TEST(KeepalivedVirtualServer, AllKeywords) {
  Diagnostics diag;
  auto cfg = ok(vs(R"(  delay_loop 6
  lvs_sched sh
  sh-port
  flag-3
  lb_kind DR
  persistence_timeout 600
  persistence_granularity 255.255.255.0
  persistence_engine sip
  protocol sctp
  ha_suspend
  virtualhost www.x.org
  alpha
  omega
  quorum 3
  hysteresis 1
  quorum_up "/bin/up arg" root wheel
  quorum_down /bin/down
  sorry_server 192.168.0.99 8080
  sorry_server_inhibit
  sorry_server_lvs_method NAT
  hashed
  real_server 192.168.0.1 80 { weight 2 }
)"), &diag);
  auto& v = cfg.virtual_servers.at(0);
  EXPECT_EQ(v.where.str(), "k.conf:1");
  EXPECT_EQ(v.delay_loop, 6000);
  EXPECT_EQ(v.scheduler, "sh");
  EXPECT_EQ(v.sched_flags, ipvs::svc_flag::kSched2 | ipvs::svc_flag::kSched3);
  EXPECT_EQ(v.persistence_timeout, 600u);
  EXPECT_EQ(v.persistence_granularity->str(), "255.255.255.0");
  EXPECT_EQ(v.persistence_engine, "sip");
  EXPECT_EQ(v.keys.at(0).protocol, ipvs::proto::kSctp);
  EXPECT_TRUE(v.ha_suspend && v.alpha && v.omega);
  EXPECT_EQ(v.virtualhost, "www.x.org");
  EXPECT_EQ(v.quorum, 3);
  EXPECT_EQ(v.hysteresis, 1);
  EXPECT_EQ(v.quorum_up.command, "/bin/up arg");
  EXPECT_EQ(v.quorum_up.user, "root");
  EXPECT_EQ(v.quorum_up.group, "wheel");
  EXPECT_EQ(v.quorum_down.command, "/bin/down");
  ASSERT_TRUE(v.sorry_server);
  EXPECT_EQ(v.sorry_server->ep.str(), "192.168.0.99:8080");
  EXPECT_EQ(v.sorry_server->fwd, ipvs::Fwd::Masq);
  EXPECT_TRUE(v.sorry_server_inhibit);
  EXPECT_EQ(v.real_servers.at(0).fwd, ipvs::Fwd::Route);
  EXPECT_EQ(v.real_servers.at(0).weight, 2);
}

TEST(KeepalivedVirtualServer, ProtocolMissingIsUdpWithWarning) {
  Diagnostics diag;
  auto cfg = ok(vs("  lb_algo rr\n  lb_kind NAT\n"), &diag);
  EXPECT_EQ(cfg.virtual_servers.at(0).keys.at(0).protocol, ipvs::proto::kUdp);
  EXPECT_TRUE(has_warning(diag, "k.conf:1", "UDP"));
}

TEST(KeepalivedVirtualServer, PersistenceDefaults) {
  auto a = ok(vs("  protocol TCP\n  lb_algo rr\n  persistence_timeout\n"));
  EXPECT_EQ(a.virtual_servers.at(0).persistence_timeout, 360u);
  auto b = ok(vs("  protocol TCP\n  lb_algo rr\n  persistence_granularity 255.255.0.0\n"));
  EXPECT_EQ(b.virtual_servers.at(0).persistence_timeout, 360u);
  auto c = ok(vs("  protocol TCP\n  lb_algo rr\n  persistence_granularity 64\n", "2001:db8::1 80"));
  EXPECT_EQ(c.virtual_servers.at(0).persistence_granularity->str(), "ffff:ffff:ffff:ffff::");
  Diagnostics diag;
  auto d = ok(vs("  protocol TCP\n  lb_algo rr\n", "10.0.0.1"), &diag);  // no port, not persistent
  EXPECT_EQ(d.virtual_servers.at(0).persistence_timeout, 360u);
  EXPECT_TRUE(has_warning(diag, "k.conf:1", "persistence forced"));
}

TEST(KeepalivedVirtualServer, OpsOnlyForUdp) {
  Diagnostics diag;
  auto t = ok(vs("  protocol TCP\n  lb_algo rr\n  ops\n"), &diag);
  EXPECT_FALSE(t.virtual_servers.at(0).ops);
  EXPECT_TRUE(has_warning(diag, "k.conf:4", "UDP"));
  auto u = ok(vs("  protocol UDP\n  lb_algo rr\n  ops\n"));
  EXPECT_TRUE(u.virtual_servers.at(0).ops);
}

TEST(KeepalivedVirtualServer, ShFlagBeforeSchedulerIgnored) {
  Diagnostics diag;
  auto cfg = ok(vs("  protocol TCP\n  sh-port\n  lb_algo sh\n  sh-fallback\n"), &diag);
  EXPECT_EQ(cfg.virtual_servers.at(0).sched_flags, ipvs::svc_flag::kSched1);
  EXPECT_TRUE(has_warning(diag, "k.conf:3", "lb_algo sh"));
}

TEST(KeepalivedVirtualServer, FwmarkHeaderAndFamily) {
  auto cfg = ok(vs("  lb_algo rr\n  real_server 2001:db8::5 { weight 1 }\n", "fwmark 7"));
  auto& v = cfg.virtual_servers.at(0);
  EXPECT_EQ(v.keys.at(0).fwmark, 7u);
  EXPECT_EQ(v.keys.at(0).protocol, 0);
  EXPECT_EQ(v.keys.at(0).family, net::Family::V6);  // from the real servers
  EXPECT_EQ(v.real_servers.at(0).ep.port, 0);
  auto f = ok(vs("  lb_algo rr\n  ip_family inet6\n", "fwmark 8"));
  EXPECT_EQ(f.virtual_servers.at(0).keys.at(0).family, net::Family::V6);
}

TEST(KeepalivedVirtualServer, LbKindForms) {
  auto k = [](const std::string& kind) {
    return ok(vs("  protocol TCP\n  lb_algo rr\n  lb_kind " + kind + "\n  real_server 10.1.0.1 80 { }\n"))
        .virtual_servers.at(0).real_servers.at(0);
  };
  EXPECT_EQ(k("NAT").fwd, ipvs::Fwd::Masq);
  EXPECT_EQ(k("DR").fwd, ipvs::Fwd::Route);
  EXPECT_EQ(k("FULLNAT").fwd, ipvs::Fwd::FullNat);
  EXPECT_EQ(k("FNAT").fwd, ipvs::Fwd::FullNat);
  auto t = k("TUN");
  EXPECT_EQ(t.fwd, ipvs::Fwd::Tunnel);
  EXPECT_EQ(t.tun_type, ipvs::TunType::Ipip);
  auto g = k("TUN type gue port 6080 csum");
  EXPECT_EQ(g.tun_type, ipvs::TunType::Gue);
  EXPECT_EQ(g.tun_port, 6080);
  EXPECT_EQ(g.tun_flags, 1);
  EXPECT_EQ(k("TUN type gue port 6080 remcsum").tun_flags, 2);
  auto r = k("TUN type gre nocsum");
  EXPECT_EQ(r.tun_type, ipvs::TunType::Gre);
  EXPECT_EQ(r.tun_flags, 0);
}

TEST(KeepalivedVirtualServer, FullnatClientAddressExtensions) {
  auto t = ok(vs("  protocol TCP\n  lb_algo rr\n  lb_kind FULLNAT\n  toa\n  real_server 10.1.0.1 80 { }\n"));
  EXPECT_EQ(t.virtual_servers.at(0).client_addr, ipvs::ClientAddr::Toa);
  auto p = ok(vs("  protocol TCP\n  lb_algo rr\n  lb_kind FNAT\n  proxy_protocol v2\n  real_server 10.1.0.1 80 { }\n"));
  EXPECT_EQ(p.virtual_servers.at(0).client_addr, ipvs::ClientAddr::ProxyV2);
  Diagnostics diag;
  ok(vs("  protocol TCP\n  lb_algo rr\n  proxy_protocol v1\n  real_server 10.1.0.1 80 { }\n"), &diag);
  EXPECT_TRUE(has_warning(diag, "k.conf:4", "FULLNAT"));
}

TEST(KeepalivedVirtualServer, RealServerPortDefaultsAndDrReset) {
  Diagnostics diag;
  auto cfg = ok(vs("  protocol TCP\n  lb_algo rr\n  lb_kind DR\n  real_server 10.1.0.1 { }\n  real_server 10.1.0.2 81 { }\n"), &diag);
  auto& rs = cfg.virtual_servers.at(0).real_servers;
  EXPECT_EQ(rs.at(0).ep.str(), "10.1.0.1:80");  // no port: the VS port (keepalived)
  EXPECT_EQ(rs.at(1).ep.str(), "10.1.0.2:80");  // DR cannot change the port: reset, warned
  EXPECT_TRUE(has_warning(diag, "k.conf:6", "DR/TUN"));
}

// keepalived 2.2.7's real_server takes lvs_method but not lb_kind (an unknown keyword there,
// ignored: the server keeps the virtual server's method), as keepalived-oracle shows.
TEST(KeepalivedVirtualServer, RealServerTakesLvsMethodNotLbKind) {
  Diagnostics diag;
  auto cfg = ok(vs("  protocol TCP\n  lb_algo rr\n  lb_kind NAT\n"
                   "  real_server 10.1.0.1 8080 {\n    lvs_method DR\n  }\n"
                   "  real_server 10.1.0.2 8080 {\n    lb_kind DR\n  }\n"),
                &diag);
  auto& rs = cfg.virtual_servers.at(0).real_servers;
  EXPECT_EQ(rs.at(0).fwd, ipvs::Fwd::Route);
  EXPECT_EQ(rs.at(1).fwd, ipvs::Fwd::Masq);
  EXPECT_TRUE(has_warning(diag, "k.conf:9", "unknown keyword 'lb_kind' in real_server"));
}

TEST(KeepalivedGroup, MembersExpand) {
  auto cfg = ok(R"(virtual_server_group G {
  10.0.0.1 80
  10.0.0.250-10.0.1.1 80
  10.0.2.4/30 443
  2001:db8::a-c 80
  fwmark 5 inet6
  fwmark 6
}
virtual_server group G { protocol TCP lb_algo rr
  real_server 10.9.0.1 80 { }
}
)");
  auto& k = cfg.virtual_servers.at(0).keys;
  ASSERT_EQ(k.size(), 1u + 8 + 4 + 3 + 2);
  EXPECT_EQ(cfg.virtual_servers[0].group, "G");
  EXPECT_EQ(k[1].ep.str(), "10.0.0.250:80");
  EXPECT_EQ(k[8].ep.str(), "10.0.1.1:80");
  EXPECT_EQ(k[9].ep.str(), "10.0.2.4:443");
  EXPECT_EQ(k[12].ep.str(), "10.0.2.7:443");
  EXPECT_EQ(k[13].ep.str(), "[2001:db8::a]:80");
  EXPECT_EQ(k[15].ep.str(), "[2001:db8::c]:80");
  EXPECT_EQ(k[15].protocol, ipvs::proto::kTcp);
  EXPECT_EQ(k[16].fwmark, 5u);
  EXPECT_EQ(k[16].family, net::Family::V6);
  EXPECT_EQ(k[17].family, net::Family::V4);
  // Real server without port in a group: port 0 (each member's port applies).
  EXPECT_EQ(ok("virtual_server_group H { 10.0.0.1 80 }\nvirtual_server group H { protocol TCP lb_algo rr\n"
               "real_server 10.9.0.1 { } }\n").virtual_servers.at(0).real_servers.at(0).ep.port, 0);
}

TEST(KeepalivedRealServer, Keywords) {
  auto cfg = ok(vs(R"(  protocol TCP
  lb_algo wrr
  real_server 10.1.0.1 8080 {
    weight 0
    lvs_method FULLNAT
    inhibit_on_failure
    notify_up "/bin/notify up" nobody
    notify_down /bin/down
    uthreshold 100
    lthreshold 10
  }
)"));
  auto& rs = cfg.virtual_servers.at(0).real_servers.at(0);
  EXPECT_EQ(rs.where.str(), "k.conf:4");
  EXPECT_EQ(rs.ep.str(), "10.1.0.1:8080");
  EXPECT_EQ(rs.weight, 0);
  EXPECT_EQ(rs.fwd, ipvs::Fwd::FullNat);
  EXPECT_TRUE(rs.inhibit_on_failure);
  EXPECT_EQ(rs.notify_up.command, "/bin/notify up");
  EXPECT_EQ(rs.notify_up.user, "nobody");
  EXPECT_EQ(rs.notify_down.command, "/bin/down");
  // keepalived reads thresholds as unsigned ints: up to UINT_MAX.
  auto big = ok(vs("  protocol TCP\n  lb_algo wrr\n  real_server 10.1.0.1 80 {\n    uthreshold 3000000000\n  }\n"));
  EXPECT_EQ(big.virtual_servers.at(0).real_servers.at(0).uthreshold, 3000000000u);
  EXPECT_EQ(rs.uthreshold, 100u);
  EXPECT_EQ(rs.lthreshold, 10u);
  EXPECT_TRUE(rs.checkers.empty());
}

TEST(KeepalivedCascade, VirtualServerToRealServerToChecker) {
  auto cfg = ok(vs(R"(  protocol TCP
  lb_algo rr
  real_server 10.1.0.1 80 { TCP_CHECK { } }
  real_server 10.1.0.2 80 {
    weight 9
    lvs_method NAT
    inhibit_on_failure off
    delay_loop 4
    retry 5
    connect_timeout 2
    alpha off
    HTTP_GET {
      url { path / }
      delay_before_retry 0.5
      warmup 0
    }
    TCP_CHECK {
      retry 1
      delay_loop 1
      connect_timeout 1.5
      alpha
    }
  }
  delay_loop 7
  retry 2
  delay_before_retry 4
  connect_timeout 3
  inhibit_on_failure
  weight 3
  lb_kind DR
  alpha
  warmup 11
  virtualhost vh.x.org
)"));
  auto& rs = cfg.virtual_servers.at(0).real_servers;
  // Settings written after the real_server blocks still cascade (keepalived resolves at the end).
  auto& a = rs.at(0);
  EXPECT_EQ(a.weight, 3);
  EXPECT_EQ(a.fwd, ipvs::Fwd::Route);
  EXPECT_TRUE(a.inhibit_on_failure);
  EXPECT_TRUE(a.alpha);
  auto& ac = a.checkers.at(0);
  EXPECT_EQ(ac.delay_loop, 7000);
  EXPECT_EQ(ac.retry, 2);
  EXPECT_EQ(ac.delay_before_retry, 4000);
  EXPECT_EQ(ac.connect_timeout, 3000);
  EXPECT_EQ(ac.warmup, 11000);
  EXPECT_TRUE(ac.alpha);
  EXPECT_EQ(ac.virtualhost, "vh.x.org");
  auto& b = rs.at(1);
  EXPECT_EQ(b.weight, 9);
  EXPECT_EQ(b.fwd, ipvs::Fwd::Masq);
  EXPECT_FALSE(b.inhibit_on_failure);
  EXPECT_FALSE(b.alpha);
  auto& h = b.checkers.at(0);
  EXPECT_EQ(h.type, Checker::Http);
  EXPECT_EQ(h.delay_loop, 4000);
  EXPECT_EQ(h.retry, 5);
  EXPECT_EQ(h.delay_before_retry, 500);
  EXPECT_EQ(h.connect_timeout, 2000);
  EXPECT_EQ(h.warmup, 0);
  auto& t = b.checkers.at(1);
  EXPECT_EQ(t.retry, 1);
  EXPECT_EQ(t.delay_loop, 1000);
  EXPECT_EQ(t.connect_timeout, 1500);
  EXPECT_EQ(t.delay_before_retry, 4000);
  EXPECT_EQ(t.warmup, 11000);
  EXPECT_TRUE(t.alpha);
}

TEST(KeepalivedCascade, OneLineBlockKeepsKeepalivedStatementSplit) {
  // keepalived splits statements at braces only: after `}` the rest of the line is ONE
  // statement (connect_timeout 3, its extra words ignored with a warning) — so retry stays 1.
  Diagnostics diag;
  auto cfg = ok(vs("  protocol TCP\n  lb_algo rr\n  real_server 10.1.0.1 80 {\n"
                   "    HTTP_GET { url { path /h status_code 404 } connect_timeout 2 retry 3 }\n  }\n"), &diag);
  auto& c = cfg.virtual_servers.at(0).real_servers.at(0).checkers.at(0);
  EXPECT_EQ(c.urls.at(0).path, "/h");
  EXPECT_TRUE(c.urls.at(0).status.empty());
  EXPECT_EQ(c.connect_timeout, 2000);
  EXPECT_EQ(c.retry, 1);
  EXPECT_TRUE(has_warning(diag, "k.conf:5", "extra values"));
}

TEST(KeepalivedCascade, CheckerDefaultsPerType) {
  auto cfg = ok(vs(R"(  protocol TCP
  lb_algo rr
  delay_loop 9
  real_server 10.1.0.1 80 {
    TCP_CHECK { }
    HTTP_GET { }
    SSL_GET { }
    MISC_CHECK { misc_path /bin/true }
    DNS_CHECK { }
    SMTP_CHECK { }
    UDP_CHECK { }
    PING_CHECK { }
    FILE_CHECK { track_file f }
  }
)"));
  auto& c = cfg.virtual_servers.at(0).real_servers.at(0).checkers;
  ASSERT_EQ(c.size(), 9u);
  int want_retry[] = {1, 1, 1, 0, 3, 1, 1, 1, 1};
  TimeMs want_dbr[] = {1000, 3000, 3000, 1000, 9000, 1000, 1000, 1000, 1000};
  for (int i = 0; i < 9; ++i) {
    EXPECT_EQ(c[i].type, Checker::Type(i));
    EXPECT_EQ(c[i].retry, want_retry[i]) << i;
    EXPECT_EQ(c[i].delay_before_retry, want_dbr[i]) << i;
    EXPECT_EQ(c[i].connect_timeout, 5000);
    EXPECT_EQ(c[i].delay_loop, 9000);
    EXPECT_EQ(c[i].warmup, 9000);
  }
  auto d = ok(vs("  protocol TCP\n  lb_algo rr\n  real_server 10.1.0.1 80 { TCP_CHECK { } }\n"));
  EXPECT_EQ(d.virtual_servers.at(0).real_servers.at(0).checkers.at(0).delay_loop, 60000);
}

TEST(KeepalivedCheckers, CommonAndHttp) {
  auto cfg = ok(vs(R"(  protocol TCP
  lb_algo rr
  real_server 10.1.0.1 80 {
    SSL_GET {
      url {
        path /health
        digest 9B3A0C85A887A256D6939DA88AABD8CD
        status_code 200 301-302
        virtualhost u.x.org
        regex "ok|fine"
        regex_no_match
      }
      url { path /b }
      virtualhost c.x.org
      http_protocol 1.1
      enable_sni
      nb_get_retry 4
      connect_ip 10.2.0.1
      connect_port 8443
      bindto 10.0.0.9
      bind_if eth1
      bind_port 5000
      fwmark 77
      log_all_failures
    }
  }
)"));
  auto& c = cfg.virtual_servers.at(0).real_servers.at(0).checkers.at(0);
  EXPECT_EQ(c.type, Checker::Ssl);
  ASSERT_EQ(c.urls.size(), 2u);
  EXPECT_EQ(c.urls[0].path, "/health");
  EXPECT_EQ(c.urls[0].digest, "9b3a0c85a887a256d6939da88aabd8cd");
  EXPECT_EQ(c.urls[0].status, (std::vector<std::pair<int, int>>{{200, 200}, {301, 302}}));
  EXPECT_EQ(c.urls[0].virtualhost, "u.x.org");
  EXPECT_EQ(c.urls[0].regex, "ok|fine");
  EXPECT_TRUE(c.urls[0].regex_no_match);
  EXPECT_TRUE(c.urls[1].status.empty());
  EXPECT_EQ(c.virtualhost, "c.x.org");
  EXPECT_EQ(c.http_protocol, "1.1");
  EXPECT_TRUE(c.enable_sni);
  EXPECT_EQ(c.retry, 4);
  EXPECT_EQ(c.connect_ip->str(), "10.2.0.1");
  EXPECT_EQ(c.connect_port, 8443);
  EXPECT_EQ(c.bindto->str(), "10.0.0.9");
  EXPECT_EQ(c.bind_if, "eth1");
  EXPECT_EQ(c.bind_port, 5000);
  EXPECT_EQ(c.fwmark, 77u);
  EXPECT_TRUE(c.log_all_failures);
  EXPECT_EQ(c.where.str(), "k.conf:5");
}

TEST(KeepalivedCheckers, MiscDnsSmtpUdpFile) {
  Diagnostics diag;
  auto cfg = ok(vs(R"(  protocol UDP
  lb_algo rr
  real_server 10.1.0.1 53 {
    MISC_CHECK {
      misc_path "/bin/chk a b"
      misc_timeout 4
      misc_dynamic
      user nobody nogroup
    }
    DNS_CHECK {
      type aaaa
      name example.org
    }
    SMTP_CHECK {
      helo_name me.x.org
      connect_ip 10.3.0.1
      connect_port 2525
    }
    UDP_CHECK {
      payload 0a0B0c
      require_reply de:ad
      min_reply_length 2
      max_reply_length 9
    }
    UDP_CHECK { require_reply }
    FILE_CHECK {
      track_file /run/w
      dynamic
      weight -10 reverse
    }
    PING_CHECK { retry 4 }
  }
)"), &diag);
  auto& c = cfg.virtual_servers.at(0).real_servers.at(0).checkers;
  ASSERT_EQ(c.size(), 7u);
  EXPECT_EQ(c[0].misc_path.command, "/bin/chk a b");
  EXPECT_EQ(c[0].misc_path.user, "nobody");
  EXPECT_EQ(c[0].misc_path.group, "nogroup");
  EXPECT_EQ(c[0].misc_timeout, 4000);
  EXPECT_TRUE(c[0].misc_dynamic);
  EXPECT_EQ(c[1].dns_type, "AAAA");
  EXPECT_EQ(c[1].dns_name, "example.org");
  EXPECT_EQ(c[2].helo_name, "me.x.org");
  EXPECT_EQ(c[2].connect_ip->str(), "10.3.0.1");
  EXPECT_EQ(c[2].connect_port, 2525);
  EXPECT_EQ(c[3].payload, (std::vector<uint8_t>{0x0a, 0x0b, 0x0c}));
  EXPECT_EQ(*c[3].require_reply, (std::vector<uint8_t>{0xde, 0xad}));
  EXPECT_EQ(c[3].min_reply_length, 2);
  EXPECT_EQ(c[3].max_reply_length, 9);
  ASSERT_TRUE(c[4].require_reply);
  EXPECT_TRUE(c[4].require_reply->empty());
  EXPECT_FALSE(c[3].payload.empty());
  EXPECT_EQ(c[5].track_file, "/run/w");
  EXPECT_TRUE(c[5].file_dynamic);
  EXPECT_EQ(c[5].file_weight, -10);
  EXPECT_TRUE(c[5].file_reverse);
  EXPECT_EQ(c[6].type, Checker::Ping);
  EXPECT_EQ(c[6].retry, 4);
}

// keepalived's smtp_check_end_handler: one checker per host block, plus the SMTP_CHECK
// itself when it has a connection option of its own; a host's timeout is 0 unless set there.
TEST(KeepalivedCheckers, SmtpHostBlocksAreCheckersOfTheirOwn) {
  Diagnostics diag;
  auto cfg = ok(vs(R"(  protocol TCP
  lb_algo rr
  real_server 10.1.0.1 25 {
    SMTP_CHECK {
      retry 2
      helo_name me.x.org
      host {
        connect_ip 10.3.0.1
        connect_port 2525
        bindto 10.3.0.9
      }
      host {
        connect_ip 10.3.0.2
        connect_timeout 7
      }
    }
  }
  real_server 10.1.0.2 25 {
    SMTP_CHECK {
      connect_timeout 10
      host {
        connect_ip 10.3.0.3
      }
    }
  }
)"), &diag);
  const auto& rs = cfg.virtual_servers.at(0).real_servers;
  // No connection of its own: the hosts replace the SMTP_CHECK.
  const auto& a = rs.at(0).checkers;
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[0].connect_ip->str(), "10.3.0.1");
  EXPECT_EQ(a[0].connect_port, 2525);
  EXPECT_EQ(a[0].bindto->str(), "10.3.0.9");
  EXPECT_EQ(a[0].connect_timeout, 0);
  EXPECT_EQ(a[1].connect_ip->str(), "10.3.0.2");
  EXPECT_EQ(a[1].connect_port, 0);  // the real server's port
  EXPECT_FALSE(a[1].bindto);
  EXPECT_EQ(a[1].connect_timeout, 7000);
  for (const auto& c : a) {
    EXPECT_EQ(c.type, Checker::Smtp);
    EXPECT_EQ(c.helo_name, "me.x.org");  // everything but the connection is copied
    EXPECT_EQ(c.retry, 2);
  }
  // connect_timeout at the SMTP_CHECK's level: it is checked itself, then the host.
  const auto& b = rs.at(1).checkers;
  ASSERT_EQ(b.size(), 2u);
  EXPECT_FALSE(b[0].connect_ip);
  EXPECT_EQ(b[0].connect_timeout, 10000);
  EXPECT_EQ(b[1].connect_ip->str(), "10.3.0.3");
  EXPECT_EQ(b[1].connect_timeout, 0);
  EXPECT_TRUE(has_warning(diag, "k.conf:5", "deprecated"));
}

TEST(KeepalivedCheckers, UnknownKeywordInCheckerWarns) {
  Diagnostics diag;
  ok(vs("  protocol TCP\n  lb_algo rr\n  real_server 10.1.0.1 80 {\n    TCP_CHECK {\n      frobnicate 3\n    }\n  }\n"), &diag);
  EXPECT_TRUE(has_warning(diag, "k.conf:6", "frobnicate"));
}

TEST(KeepalivedErrors, EveryKindHasItsFileLine) {
  const std::string head = "  protocol TCP\n  lb_algo rr\n";  // lines 2-3
  bad(vs(head + "  lb_kind BOGUS\n"), 4, "forwarding method");
  bad(vs(head + "  lb_kind dr\n"), 4, "upper case, as keepalived: DR");  // keepalived: strcmp
  bad(vs(head + "  real_server 10.1.0.1 80 {\n    uthreshold 4294967296\n  }\n"), 5, "uthreshold");
  bad(vs(head + "  lb_algo nope\n"), 4, "scheduler");
  bad(vs(head + "  protocol ICMP\n"), 4, "protocol");
  bad(vs(head, "10.0.0.1 0"), 1, "port");
  bad(vs(head, "10.0.0.300 80"), 1, "address");
  bad(vs(head + "  real_server 10.1.0.1 0 { }\n"), 4, "port");
  bad(vs(head + "  real_server 10.1.0.x 80 { }\n"), 4, "address");
  bad(vs(head + "  real_server 10.1.0.1 80 {\n    weight -1\n  }\n"), 5, "weight");
  bad(vs(head + "  real_server 10.1.0.1 80 {\n    weight 2147483648\n  }\n"), 5, "weight");
  bad(vs(head + "  weight 0\n"), 4, "weight");
  bad(vs(head + "  real_server 10.1.0.1 80 { }\n  real_server 10.1.0.1 80 { }\n"), 5, "duplicated");
  bad(vs(head + "  sorry_server 10.9.9.9 0\n"), 4, "port");
  bad(vs(head + "  real_server 10.1.0.1 80 {\n    TCP_CHECK {\n      connect_port 0\n    }\n  }\n"), 6, "port");
  bad(vs(head + "  real_server 10.1.0.1 80 {\n    TCP_CHECK {\n      connect_timeout soon\n    }\n  }\n"), 6, "time");
  bad(vs(head + "  real_server 10.1.0.1 80 {\n    HTTP_GET {\n      url {\n        digest abc\n      }\n    }\n  }\n"), 7, "digest");
  bad(vs(head + "  real_server 10.1.0.1 80 {\n    HTTP_GET {\n      url { status_code 2xx }\n    }\n  }\n"), 6, "status");
  bad(vs(head + "  real_server 10.1.0.1 80 {\n    DNS_CHECK {\n      type PTR\n    }\n  }\n"), 6, "DNS type");
  bad(vs(head + "  real_server 10.1.0.1 80 {\n    MISC_CHECK {\n    }\n  }\n"), 5, "misc_path");
  bad(vs(head + "  lb_kind TUN type gue\n"), 4, "port");
  bad(vs(head + "  lb_kind TUN type ipip csum\n"), 4, "ipip");
  bad(vs(head + "  lb_kind TUN type gre remcsum\n"), 4, "remcsum");
  bad(vs(head + "  persistence_timeout 0\n"), 4, "persistence_timeout");
  bad(vs(head + "  persistence_granularity 10.0.0.x\n"), 4, "granularity");
  bad(vs(head + "  inhibit_on_failure maybe\n"), 4, "boolean");
  bad(vs(head + "  proxy_protocol v3\n"), 4, "proxy_protocol");
  bad(vs(head, "group NOPE"), 1, "NOPE");
  bad("virtual_server_group G {\n  10.0.0.9-3 80\n}\n", 2, "range");
  bad("virtual_server_group G {\n  10.0.0.1 http\n}\n", 2, "port");
  bad("global_defs {\n  smtp_server 10.0.0.1 0\n}\n", 2, "port");
  bad("global_defs {\n  lvs_timeouts tcp 10 fin 3\n}\n", 2, "fin");
}

TEST(KeepalivedErrors, BracesReportedWithFileLine) {
  // The virtual_server (line 1) is the block left open: vs() closes only the real_server.
  bad(vs("  protocol TCP\n  real_server 10.1.0.1 80 {\n    weight 1\n"), 1, "missing '}'");
  bad("global_defs {\n  notification_email {\n    a@b\n}\n", 1, "missing '}'");
  bad("global_defs {\n}\n}\n", 3, "unexpected '}'");
}

TEST(KeepalivedErrors, ErrorsDoNotStopAtTheFirst) {
  Diagnostics diag;
  auto cfg = parse_keepalived_text(vs("  protocol TCP\n  lb_algo nope\n  lb_kind BAD\n"), "k.conf", diag);
  EXPECT_FALSE(cfg);
  EXPECT_EQ(std::count_if(diag.begin(), diag.end(), [](auto& d) { return d.level == Diagnostic::Error; }), 2);
}

}  // namespace
}  // namespace ulvs::config
