// alert_text_test.cc — the subjects and bodies of keepalived 2.2.7's checker mails, against
// the exact strings of keepalived's sources (smtp.c, check_*.c, ipwrapper.c, check_data.c).
#include "notify/alert_text.h"

#include <gtest/gtest.h>

namespace ulvs::notify {
namespace {

using config::Alert;
using config::Checker;
using ipvs::Fwd;

net::Endpoint ep(const char* s) { return *net::Endpoint::parse(s); }

config::RealServer rs(const char* addr, Fwd fwd = Fwd::Masq, Checker::Type type = Checker::Tcp) {
  config::RealServer r;
  r.ep = ep(addr);
  r.fwd = fwd;
  Checker c;
  c.type = type;
  r.checkers.push_back(c);
  return r;
}

config::VirtualServer tcp_vs(const char* addr, std::vector<config::RealServer> rss) {
  config::VirtualServer v;
  v.keys.push_back({.protocol = ipvs::proto::kTcp, .ep = ep(addr)});
  v.real_servers = std::move(rss);
  return v;
}

TEST(AlertText, VirtualServerNames) {
  EXPECT_EQ(format_vs(tcp_vs("10.0.0.1:80", {})), "[10.0.0.1]:tcp:80");
  config::VirtualServer udp6;
  udp6.keys.push_back({.protocol = ipvs::proto::kUdp, .ep = ep("[2001:db8::1]:53"), .family = net::Family::V6});
  EXPECT_EQ(format_vs(udp6), "[2001:db8::1]:udp:53");
  config::VirtualServer sctp;
  sctp.keys.push_back({.protocol = ipvs::proto::kSctp, .ep = ep("10.0.0.1:0")});
  EXPECT_EQ(format_vs(sctp), "[10.0.0.1]:sctp:0");
  config::VirtualServer fwm;
  fwm.keys.push_back({.protocol = 0, .fwmark = 7});
  EXPECT_EQ(format_vs(fwm), "FWM 7");
  config::VirtualServer group;
  group.group = "WEB";
  group.keys.push_back({.protocol = ipvs::proto::kTcp, .ep = ep("10.0.0.1:80")});
  EXPECT_EQ(format_vs(group), "[WEB]:0");  // keepalived never sets a group's own address
}

TEST(AlertText, RealServerNamesUseTheServicesProtocolAndFixedUpPort) {
  config::VirtualServer v = tcp_vs("10.0.0.1:80", {rs("10.0.1.2:8080"), rs("10.0.1.3:0"),
                                                   rs("10.0.1.4:8080", Fwd::Route)});
  EXPECT_EQ(format_rs(v, v.real_servers[0]), "[10.0.1.2]:tcp:8080");
  EXPECT_EQ(format_rs(v, v.real_servers[1]), "[10.0.1.3]:tcp:80");  // NAT port 0: the service's
  EXPECT_EQ(format_rs(v, v.real_servers[2]), "[10.0.1.4]:tcp:80");  // DR: the service's port
  config::VirtualServer fwm;
  fwm.keys.push_back({.protocol = 0, .fwmark = 3});
  fwm.real_servers = {rs("10.0.1.5:443", Fwd::Route), rs("10.0.1.6:8443")};
  EXPECT_EQ(format_rs(fwm, fwm.real_servers[0]), "[10.0.1.5]:none:0");   // cleared for DR
  EXPECT_EQ(format_rs(fwm, fwm.real_servers[1]), "[10.0.1.6]:none:8443");
  config::VirtualServer v6;
  v6.keys.push_back({.protocol = ipvs::proto::kUdp, .ep = ep("[2001:db8::1]:53"), .family = net::Family::V6});
  v6.real_servers = {rs("[2001:db8::2]:53")};
  EXPECT_EQ(format_rs(v6, v6.real_servers[0]), "[2001:db8::2]:udp:53");
}

TEST(AlertText, CheckerBodies) {
  EXPECT_EQ(checker_body(Checker::Tcp, true), "=> TCP CHECK succeed on service <=");
  EXPECT_EQ(checker_body(Checker::Tcp, false), "=> TCP CHECK failed on service <=");
  EXPECT_EQ(checker_body(Checker::Udp, true), "=> UDP CHECK succeed on service <=");
  EXPECT_EQ(checker_body(Checker::Udp, false), "=> UDP CHECK failed on service <=");
  EXPECT_EQ(checker_body(Checker::Ping, true), "=> ICMP CHECK succeed on service <=");
  EXPECT_EQ(checker_body(Checker::Ping, false), "=> ICMP CHECK failed on service <=");
  EXPECT_EQ(checker_body(Checker::Dns, true), "=> DNS_CHECK: succeed on service <=");
  EXPECT_EQ(checker_body(Checker::Dns, false), "=> DNS_CHECK: failed on service <=");
  EXPECT_EQ(checker_body(Checker::Http, true), "=> CHECK succeed on service <=");
  EXPECT_EQ(checker_body(Checker::Http, false), "=> CHECK failed on service : HTTP request failed <=");
  EXPECT_EQ(checker_body(Checker::Ssl, false), "=> CHECK failed on service : HTTP request failed <=");
  EXPECT_EQ(checker_body(Checker::Smtp, true), "=> CHECK succeed on service <=");
  EXPECT_EQ(checker_body(Checker::Smtp, false), "=> CHECK failed on service <=");
  EXPECT_EQ(checker_body(Checker::Misc, true), "=> MISC CHECK succeeded on service <=");
  EXPECT_EQ(checker_body(Checker::Misc, false), "=> MISC CHECK failed on service <=");
  EXPECT_EQ(checker_body(Checker::File, false), "");
}

TEST(AlertText, QuorumBodies) {
  EXPECT_EQ(quorum_body(true, false, 3, 1, 4, 5), "=> Gained quorum 3+1=4 <= 5 <=");
  // Lost: the threshold is quorum - hysteresis, still printed after a '+' (keepalived's text).
  EXPECT_EQ(quorum_body(false, false, 3, 1, 2, 1), "=> Lost quorum 3+1=2 <= 1 <=");
  EXPECT_EQ(quorum_body(true, true, 1, 0, 1, 2), "=> Starting with quorum up 1+0=1 <= 2 <=");
  EXPECT_EQ(quorum_body(false, true, 2, 0, 2, 0), "=> Starting with quorum down 2+0=2 <= 0 <=");
}

TEST(AlertText, MessagesForEachAlert) {
  config::VirtualServer v = tcp_vs("10.0.0.1:80", {rs("10.0.1.2:8080"), rs("10.0.1.3:80", Fwd::Masq, Checker::Http)});
  Message down = alert_message("LVS_1", v, {.kind = Alert::RsCheck, .rs = 0, .checker = 0, .checker_up = false, .up = false});
  EXPECT_EQ(down.subject, "[LVS_1] Realserver [10.0.1.2]:tcp:8080 of virtual server [10.0.0.1]:tcp:80 - DOWN");
  EXPECT_EQ(down.body, "=> TCP CHECK failed on service <=");
  Message up = alert_message("LVS_1", v, {.kind = Alert::RsCheck, .rs = 1, .checker = 0, .checker_up = true, .up = true});
  EXPECT_EQ(up.subject, "[LVS_1] Realserver [10.0.1.3]:tcp:80 of virtual server [10.0.0.1]:tcp:80 - UP");
  EXPECT_EQ(up.body, "=> CHECK succeed on service <=");
  // The subject tells the server's state, the body the checker's: another checker still down.
  Message mixed = alert_message("r", v, {.kind = Alert::RsCheck, .rs = 0, .checker = 0, .checker_up = true, .up = false});
  EXPECT_EQ(mixed.subject, "[r] Realserver [10.0.1.2]:tcp:8080 of virtual server [10.0.0.1]:tcp:80 - DOWN");
  EXPECT_EQ(mixed.body, "=> TCP CHECK succeed on service <=");

  Alert q{.kind = Alert::VsQuorum, .up = true};
  q.quorum = 2, q.hysteresis = 0, q.threshold = 2, q.weight_sum = 2;
  Message gained = alert_message("LVS_1", v, q);
  EXPECT_EQ(gained.subject, "[LVS_1] Virtualserver [10.0.0.1]:tcp:80 - UP");
  EXPECT_EQ(gained.body, "=> Gained quorum 2+0=2 <= 2 <=");

  EXPECT_EQ(alert_message("LVS_1", v, {.kind = Alert::RsShutdown, .rs = 1}),
            (Message{"[LVS_1] Realserver [10.0.1.3]:tcp:80 of virtual server [10.0.0.1]:tcp:80 - DOWN",
                     "=> Shutting down <="}));
  EXPECT_EQ(alert_message("LVS_1", v, {.kind = Alert::VsShutdown}),
            (Message{"[LVS_1] Virtualserver [10.0.0.1]:tcp:80 - DOWN", "=> Shutting down <="}));
}

TEST(AlertText, SubjectIsCutAt255Bytes) {
  config::VirtualServer v = tcp_vs("10.0.0.1:80", {rs("10.0.1.2:80")});
  v.group = std::string(400, 'G');
  Message m = alert_message("LVS_1", v, {.kind = Alert::VsShutdown});
  EXPECT_EQ(m.subject.size(), kMaxSubject);
  EXPECT_EQ(m.subject, ("[LVS_1] Virtualserver [" + v.group).substr(0, 255));
}

}  // namespace
}  // namespace ulvs::notify
