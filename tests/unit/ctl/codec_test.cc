// codec_test.cc — every op and reply survives encode → decode; bad input gives clear errors.
#include "ctl/codec.h"

#include <gtest/gtest.h>

namespace ulvs::ctl {
namespace {

using ipvs::Fwd;

net::Endpoint EP(const char* s) { return *net::Endpoint::parse(s); }

ipvs::ServiceKey tcp_key(const char* ep) {
  auto e = EP(ep);
  return {e.addr.family, ipvs::proto::kTcp, e.addr, e.port, 0};
}

Request roundtrip(const Request& r) {
  std::string line = encode(r), err;
  EXPECT_EQ(line.find('\n'), std::string::npos);
  auto back = decode_request(line, err);
  EXPECT_TRUE(back) << err << " in " << line;
  if (!back) return {};
  EXPECT_EQ(encode(*back), line);
  return *back;
}

std::string decode_error(const std::string& line) {
  std::string err;
  auto r = decode_request(line, err);
  EXPECT_FALSE(r) << line;
  return err;
}

TEST(Codec, EveryOpRoundTrips) {
  for (int i = 0; i <= int(Op::GetSysctls); ++i) {
    Request r;
    r.op = Op(i);
    r.key = tcp_key("10.0.0.1:80");
    r.service.key = *r.key;
    r.dest.ep = EP("192.168.1.2:8080");
    r.daemon.state = "master";
    r.local_addr = *net::Addr::parse("10.0.1.1");
    r.sysctl = {"sloppy_tcp", "1"};
    Request back = roundtrip(r);
    EXPECT_EQ(back.op, r.op) << op_name(r.op);
    EXPECT_EQ(back.key, r.key);
    EXPECT_EQ(op_from_name(op_name(r.op)), r.op);
  }
}

TEST(Codec, ServiceConfigFields) {
  Request r{.op = Op::AddService};
  r.service = {.key = tcp_key("[2001:db8::1]:443"), .scheduler = "sh",
               .flags = ipvs::svc_flag::kPersistent | ipvs::svc_flag::kSched1 | 0x400,
               .timeout_s = 600, .netmask = 64, .pe_name = "sip"};
  Request back = roundtrip(r);
  EXPECT_EQ(back.service.key, r.service.key);
  EXPECT_EQ(back.service.scheduler, "sh");
  EXPECT_EQ(back.service.flags, r.service.flags);
  EXPECT_EQ(back.service.timeout_s, 600u);
  EXPECT_EQ(back.service.netmask, 64u);
  EXPECT_EQ(back.service.pe_name, "sip");
  EXPECT_NE(encode(r).find(R"("flags":["persistent","sched_flag_1",1024])"), std::string::npos);
}

TEST(Codec, Ipv4NetmaskIsDotted) {
  Request r{.op = Op::EditService};
  r.service.key = tcp_key("10.0.0.1:80");
  r.service.netmask = 0xFFFFFF00;
  EXPECT_NE(encode(r).find(R"("netmask":"255.255.255.0")"), std::string::npos);
  EXPECT_EQ(roundtrip(r).service.netmask, 0xFFFFFF00u);
}

TEST(Codec, FwmarkKey) {
  Request r{.op = Op::DelService};
  r.key = ipvs::ServiceKey{.family = net::Family::V6, .protocol = 0, .fwmark = 7};
  r.key->addr.family = net::Family::V6;
  Request back = roundtrip(r);
  EXPECT_EQ(back.key->fwmark, 7u);
  EXPECT_EQ(back.key->family, net::Family::V6);
  EXPECT_EQ(back.key->protocol, 0);
}

TEST(Codec, DestConfigFields) {
  Request r{.op = Op::EditDest, .key = tcp_key("10.0.0.1:80")};
  r.dest = {.ep = EP("[2001:db8::2]:80"), .fwd = Fwd::Tunnel, .weight = -5, .u_threshold = 9,
            .l_threshold = 3, .tun_type = ipvs::TunType::Gue, .tun_port = 6080, .tun_flags = 2};
  Request back = roundtrip(r);
  EXPECT_EQ(back.dest.ep, r.dest.ep);
  EXPECT_EQ(back.dest.fwd, Fwd::Tunnel);
  EXPECT_EQ(back.dest.weight, -5);
  EXPECT_EQ(back.dest.u_threshold, 9u);
  EXPECT_EQ(back.dest.l_threshold, 3u);
  EXPECT_EQ(back.dest.tun_type, ipvs::TunType::Gue);
  EXPECT_EQ(back.dest.tun_port, 6080);
  EXPECT_EQ(back.dest.tun_flags, 2);
  for (Fwd f : {Fwd::Masq, Fwd::Local, Fwd::Route, Fwd::Bypass, Fwd::FullNat}) {
    r.dest.fwd = f;
    EXPECT_EQ(roundtrip(r).dest.fwd, f);
  }
}

TEST(Codec, TimeoutsAndDaemon) {
  Request t{.op = Op::SetTimeouts, .timeouts = {900, 120, 300}};
  Request back = roundtrip(t);
  EXPECT_EQ(back.timeouts.tcp, 900u);
  EXPECT_EQ(back.timeouts.tcpfin, 120u);
  EXPECT_EQ(back.timeouts.udp, 300u);

  Request d{.op = Op::StartDaemon};
  d.daemon = {"backup", "lo", 9, 1400, "ff02::1", 9000, 3};
  back = roundtrip(d);
  EXPECT_EQ(back.daemon.state, "backup");
  EXPECT_EQ(back.daemon.mcast_ifn, "lo");
  EXPECT_EQ(back.daemon.syncid, 9u);
  EXPECT_EQ(back.daemon.sync_maxlen, 1400u);
  EXPECT_EQ(back.daemon.mcast_group, "ff02::1");
  EXPECT_EQ(back.daemon.mcast_port, 9000);
  EXPECT_EQ(back.daemon.mcast_ttl, 3);
}

TEST(Codec, ReplyRoundTrips) {
  Reply r;
  r.error = -3;
  r.message = "line one\nline two";  // escaped: still one line on the wire
  r.info.conn_tab_size = 1 << 20;
  ServiceInfo s;
  s.cfg.key = tcp_key("10.0.0.1:80");
  s.stats = {1, 2, 3, 4, 5};
  s.rates = {6, 7, 8, 9, 10};
  DestInfo d;
  d.cfg.ep = EP("192.168.1.2:80");
  d.activeconns = 11;
  d.inactconns = 12;
  d.persistconns = 13;
  d.stats = {uint64_t(1) << 63, 0, 0, 0, 1};
  s.dests = {d, d};
  r.services = {s};
  r.timeouts = {1, 2, 3};
  r.daemons = {{"master", "eth0", 1, 1472, "224.0.0.81", 8848, 1}};
  r.conns = {{ipvs::proto::kTcp, "ESTABLISHED", 899, EP("1.2.3.4:5"), EP("10.0.0.1:80"),
              EP("192.168.1.2:80"), false},
             {0, "ASSURED", 10, EP("1.2.3.0:0"), EP("0.0.0.7:0"), EP("192.168.1.2:0"), true}};

  std::string line = encode(r), err;
  EXPECT_EQ(line.find('\n'), std::string::npos);
  auto back = decode_reply(line, err);
  ASSERT_TRUE(back) << err;
  EXPECT_EQ(encode(*back), line);
  EXPECT_EQ(back->error, -3);
  EXPECT_EQ(back->message, r.message);
  EXPECT_EQ(back->info.conn_tab_size, 1u << 20);
  ASSERT_EQ(back->services.size(), 1u);
  EXPECT_EQ(back->services[0].stats, s.stats);
  EXPECT_EQ(back->services[0].rates, s.rates);
  ASSERT_EQ(back->services[0].dests.size(), 2u);
  EXPECT_EQ(back->services[0].dests[1].stats.conns, uint64_t(1) << 63);
  EXPECT_EQ(back->services[0].dests[1].persistconns, 13u);
  EXPECT_EQ(back->timeouts.udp, 3u);
  EXPECT_EQ(back->daemons[0].mcast_group, "224.0.0.81");
  ASSERT_EQ(back->conns.size(), 2u);
  EXPECT_EQ(back->conns[0].state, "ESTABLISHED");
  EXPECT_EQ(back->conns[0].client, EP("1.2.3.4:5"));
  EXPECT_TRUE(back->conns[1].is_template);
  EXPECT_EQ(back->conns[1].protocol, 0);
}

TEST(Codec, HandWrittenDefaults) {
  std::string err;
  auto r = decode_request(
      R"({"version":1,"op":"add_service","service":{"key":{"addr":"2001:db8::1","port":80}}})",
      err);
  ASSERT_TRUE(r) << err;
  EXPECT_EQ(r->service.key.protocol, ipvs::proto::kTcp);
  EXPECT_EQ(r->service.key.family, net::Family::V6);
  EXPECT_EQ(r->service.scheduler, "wlc");
  EXPECT_EQ(r->service.netmask, 128u);  // IPv6 default prefix

  r = decode_request(R"({"version":1,"op":"add_dest","key":{"protocol":"udp","addr":"10.0.0.1",
      "port":53},"dest":{"server":"10.0.1.1"}})", err);
  ASSERT_TRUE(r) << err;
  EXPECT_EQ(r->key->protocol, ipvs::proto::kUdp);
  EXPECT_EQ(r->dest.ep.port, 0);
  EXPECT_EQ(r->dest.weight, 1);
  EXPECT_EQ(r->dest.fwd, Fwd::Masq);
}

TEST(Codec, DecodeErrors) {
  EXPECT_NE(decode_error("not json").find("malformed JSON"), std::string::npos);
  EXPECT_NE(decode_error("[1,2]").find("expected an object"), std::string::npos);
  EXPECT_NE(decode_error(R"({"op":"flush"})").find(R"(missing field "version")"),
            std::string::npos);
  EXPECT_NE(decode_error(R"({"version":2,"op":"flush"})").find("unsupported API version 2"),
            std::string::npos);
  EXPECT_NE(decode_error(R"({"version":1,"op":"explode"})").find(R"(unknown op "explode")"),
            std::string::npos);
  EXPECT_NE(decode_error(R"({"version":1,"op":"flush","colour":1})").find(R"(unknown field "colour")"),
            std::string::npos);
  EXPECT_NE(decode_error(R"({"version":1,"op":"del_service"})").find(R"(del_service needs "key")"),
            std::string::npos);
  EXPECT_NE(decode_error(R"({"version":1,"op":"del_service","key":{"addr":"10.0.0.300"}})")
                .find("key.addr: expected an IPv4 or IPv6 address"),
            std::string::npos);
  EXPECT_NE(decode_error(R"({"version":1,"op":"del_service","key":{"addr":"10.0.0.3","port":70000}})")
                .find("key.port: expected an integer 0..65535"),
            std::string::npos);
  EXPECT_NE(decode_error(R"({"version":1,"op":"del_service","key":{"protocol":"icmp","addr":"1.1.1.1"}})")
                .find("key.protocol"),
            std::string::npos);
  EXPECT_NE(decode_error(R"({"version":1,"op":"add_dest","key":{"fwmark":1},"dest":{"server":"1.1.1.1","fwd":"nat"}})")
                .find(R"(dest.fwd: unknown value "nat")"),
            std::string::npos);
  EXPECT_NE(decode_error(R"({"version":1,"op":"add_dest","key":{"fwmark":1},"dest":{"server":"1.1.1.1","weight":"3"}})")
                .find("dest.weight: expected a 32-bit integer"),
            std::string::npos);
  EXPECT_NE(decode_error(R"({"version":1,"op":"start_daemon","daemon":{"state":"slave"}})")
                .find("daemon.state"),
            std::string::npos);
  EXPECT_NE(decode_error(R"({"version":1,"op":"add_service","service":{"key":{"addr":"1.1.1.1"},"flags":["sticky"]}})")
                .find(R"(unknown value "sticky")"),
            std::string::npos);
  EXPECT_NE(decode_error(R"({"version":1,"op":"set_timeouts","timeouts":{"tcp":-1}})")
                .find("timeouts.tcp"),
            std::string::npos);
}

TEST(Codec, ClientAddr) {
  Request r{.op = Op::EditService};
  r.service.key = tcp_key("10.0.0.1:80");
  EXPECT_NE(encode(r).find(R"("client_addr":"none")"), std::string::npos);
  for (auto c : {ipvs::ClientAddr::None, ipvs::ClientAddr::Toa, ipvs::ClientAddr::ProxyV1,
                 ipvs::ClientAddr::ProxyV2}) {
    r.service.client_addr = c;
    EXPECT_EQ(roundtrip(r).service.client_addr, c);
  }
  EXPECT_NE(encode(r).find(R"("client_addr":"proxy_v2")"), std::string::npos);
  EXPECT_NE(decode_error(R"({"version":1,"op":"add_service","service":{"key":{"addr":"1.1.1.1"},"client_addr":"proxy"}})")
                .find(R"(service.client_addr: unknown value "proxy" (one of: none, toa, proxy_v1, proxy_v2))"),
            std::string::npos);
}

TEST(Codec, LocalAddrs) {
  Request r{.op = Op::DelLocalAddr, .local_addr = *net::Addr::parse("2001:db8::5")};
  EXPECT_EQ(encode(r), R"({"local_addr":"2001:db8::5","op":"del_local_addr","version":1})");
  EXPECT_EQ(roundtrip(r).local_addr, r.local_addr);
  // Only the ops that use it carry it.
  EXPECT_EQ(encode(Request{.op = Op::GetLocalAddrs, .local_addr = r.local_addr}),
            R"({"op":"get_local_addrs","version":1})");
  EXPECT_NE(decode_error(R"({"version":1,"op":"add_local_addr"})")
                .find(R"(add_local_addr needs "local_addr")"),
            std::string::npos);
  EXPECT_NE(decode_error(R"({"version":1,"op":"add_local_addr","local_addr":"10.0.1"})")
                .find("local_addr: expected an IPv4 or IPv6 address"),
            std::string::npos);
  EXPECT_NE(decode_error(R"({"version":1,"op":"add_local_addr","local_addr":["10.0.1.1"]})")
                .find("local_addr: expected an IPv4 or IPv6 address"),
            std::string::npos);

  Reply rep;
  rep.local_addrs = {*net::Addr::parse("10.0.1.1"), *net::Addr::parse("2001:db8::5")};
  std::string line = encode(rep), err;
  EXPECT_NE(line.find(R"("local_addrs":["10.0.1.1","2001:db8::5"])"), std::string::npos);
  auto back = decode_reply(line, err);
  ASSERT_TRUE(back) << err;
  EXPECT_EQ(back->local_addrs, rep.local_addrs);
  EXPECT_FALSE(decode_reply(R"({"version":1,"local_addrs":["x"]})", err));
  EXPECT_NE(err.find("reply.local_addrs[]"), std::string::npos);
}

TEST(Codec, Sysctls) {
  Request r{.op = Op::SetSysctl, .sysctl = {"sloppy_tcp", "1"}};
  EXPECT_EQ(encode(r),
            R"({"op":"set_sysctl","sysctl":{"name":"sloppy_tcp","value":"1"},"version":1})");
  EXPECT_EQ(roundtrip(r).sysctl, r.sysctl);
  // get_sysctls: all of them, or the one named; only set_sysctl carries a value.
  EXPECT_EQ(encode(Request{.op = Op::GetSysctls, .sysctl = {"", "9"}}),
            R"({"op":"get_sysctls","version":1})");
  Request one{.op = Op::GetSysctls, .sysctl = {"secure_tcp", ""}};
  EXPECT_EQ(encode(one), R"({"op":"get_sysctls","sysctl":{"name":"secure_tcp"},"version":1})");
  EXPECT_EQ(roundtrip(one).sysctl, one.sysctl);
  EXPECT_EQ(encode(Request{.op = Op::GetInfo, .sysctl = r.sysctl}),
            R"({"op":"get_info","version":1})");
  // A hand-written integer is taken as its text.
  std::string err;
  auto n = decode_request(
      R"({"version":1,"op":"set_sysctl","sysctl":{"name":"lblc_expiration","value":-60}})", err);
  ASSERT_TRUE(n) << err;
  EXPECT_EQ(n->sysctl, (SysctlEntry{"lblc_expiration", "-60"}));
  EXPECT_NE(decode_error(R"({"version":1,"op":"set_sysctl"})").find(R"(set_sysctl needs "sysctl")"),
            std::string::npos);
  EXPECT_NE(decode_error(R"({"version":1,"op":"set_sysctl","sysctl":{"name":"sloppy_tcp"}})")
                .find(R"(sysctl: missing field "value")"),
            std::string::npos);
  EXPECT_NE(decode_error(R"({"version":1,"op":"set_sysctl","sysctl":{"name":"","value":"1"}})")
                .find("sysctl.name: expected a sysctl name"),
            std::string::npos);
  EXPECT_NE(decode_error(R"({"version":1,"op":"set_sysctl","sysctl":{"name":"a","value":true}})")
                .find("sysctl.value: expected a string"),
            std::string::npos);
  EXPECT_NE(decode_error(R"({"version":1,"op":"get_sysctls","sysctl":{"name":"a","value":"1"}})")
                .find("sysctl.value: only set_sysctl takes a value"),
            std::string::npos);
  EXPECT_NE(decode_error(R"({"version":1,"op":"set_sysctl","sysctl":{"name":"a","value":"1","x":1}})")
                .find(R"(sysctl: unknown field "x")"),
            std::string::npos);

  Reply rep;
  rep.sysctls = {{"conn_reuse_mode", "1"}, {"sloppy_tcp", "0"}};
  std::string line = encode(rep);
  EXPECT_NE(line.find(R"("sysctls":[{"name":"conn_reuse_mode","value":"1"},{"name":"sloppy_tcp","value":"0"}])"),
            std::string::npos);
  auto back = decode_reply(line, err);
  ASSERT_TRUE(back) << err;
  EXPECT_EQ(back->sysctls, rep.sysctls);  // order kept
  EXPECT_FALSE(decode_reply(R"({"version":1,"sysctls":[{"name":"x"}]})", err));
  EXPECT_NE(err.find("reply.sysctls[]"), std::string::npos);
}

TEST(Codec, BadReplies) {
  std::string err;
  EXPECT_FALSE(decode_reply(R"({"version":1,"error":5})", err));
  EXPECT_NE(err.find("negative errno"), std::string::npos);
  EXPECT_FALSE(decode_reply(R"({"version":3})", err));
  EXPECT_FALSE(decode_reply(R"({"version":1,"services":{}})", err));
  EXPECT_TRUE(decode_reply(R"({"version":1})", err)) << err;
}

}  // namespace
}  // namespace ulvs::ctl
