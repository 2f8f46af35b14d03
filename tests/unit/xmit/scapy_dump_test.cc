// Writes one frame per forwarding method and variant, as "name hex" lines, to the file named
// by ULVS_XMIT_DUMP, for scapy_check.py to dissect with an independent implementation.
// Without the variable the test is skipped: the GoogleTest suites stand on their own.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "xmit/fullnat.h"
#include "xmit/nat.h"
#include "xmit/toa.h"
#include "xmit/too_big.h"
#include "xmit/tun.h"
#include "xmit_test_util.h"

using namespace ulvs;
using namespace ulvs::xmit;
using namespace ulvs::xmit::test;

namespace {

struct Dump {
  FILE* f;
  void put(const std::string& name, std::span<const uint8_t> b) {
    std::fprintf(f, "%s ", name.c_str());
    for (uint8_t x : b) std::fprintf(f, "%02x", x);
    std::fprintf(f, "\n");
  }
};

std::string fam_name(net::Family f) { return f == net::Family::V4 ? "v4" : "v6"; }

}  // namespace

TEST(ScapyDump, Frames) {
  const char* path = std::getenv("ULVS_XMIT_DUMP");
  if (!path) GTEST_SKIP() << "ULVS_XMIT_DUMP not set";
  Dump d{std::fopen(path, "w")};
  ASSERT_TRUE(d.f);
  for (auto v : all_variants()) {
    std::string n = variant_name({v, 0});
    Flow fl = flow(v.fam);
    ipvs::Conn c = make_conn(fl);
    TestFrame a(make_frame(v, fl.client, fl.cport, fl.vip, fl.vport));
    ASSERT_EQ(nat_in(a.buf, a.parse(), c), Status::Ok);
    d.put("nat_in_" + n, a.buf.bytes());
    TestFrame b(make_frame(v, fl.client, fl.cport, fl.vip, fl.vport));
    ASSERT_EQ(fullnat_in(b.buf, b.parse(), c, fl.local), Status::Ok);
    d.put("fullnat_in_" + n, b.buf.bytes());
    if (v.proto == net::ipproto::Tcp) {
      ASSERT_EQ(toa_insert(b.buf, b.parse(), fl.client, fl.cport), Status::Ok);
      d.put("toa_" + n, b.buf.bytes());
    }
    Bytes reply = ip_packet(make_frame({v.fam, v.proto, 0, v.ip_options}, fl.vip, fl.vport, fl.client, fl.cport));
    TestFrame e(net::build_icmp({.src = fl.client, .dst = fl.vip},
                                {.type = uint8_t(v.fam == net::Family::V4 ? 3 : 1), .payload = reply}));
    ASSERT_EQ(nat_icmp_in(e.buf, e.parse(), c), Status::Ok);
    d.put("icmp_in_" + n, e.buf.bytes());
  }
  for (auto inner : {net::Family::V4, net::Family::V6})
    for (auto outer : {net::Family::V4, net::Family::V6})
      for (auto type : {ipvs::TunType::Ipip, ipvs::TunType::Gue, ipvs::TunType::Gre}) {
        Flow fl = flow(inner);
        Bytes frame = make_frame({inner, net::ipproto::Tcp, 1, false}, fl.client, fl.cport, fl.vip, fl.vport);
        TestFrame t(frame);
        TunParams tp{.real = outer == net::Family::V4 ? A("192.168.20.2") : A("fd00:20::2"),
                     .local = outer == net::Family::V4 ? A("192.168.20.1") : A("fd00:20::1"),
                     .type = type, .port = 6080, .flags = tun_flag::kCsum, .mtu = 1500, .ip_id = 7};
        ASSERT_EQ(tun_xmit(t.buf, t.parse(), tp).status, Status::Ok);
        const char* tn = type == ipvs::TunType::Ipip ? "ipip" : type == ipvs::TunType::Gue ? "gue" : "gre";
        d.put(std::string("tun_") + tn + "_in" + fam_name(inner) + "_out" + fam_name(outer), t.buf.bytes());
      }
  for (auto fam : {net::Family::V4, net::Family::V6}) {
    Flow fl = flow(fam);
    Bytes big = make_frame({fam, net::ipproto::Tcp, 0, false}, fl.client, fl.cport, fl.vip, fl.vport, Bytes(1400, 7));
    d.put("too_big_" + fam_name(fam), build_frag_needed(big, net::parse_frame(std::span(big)), 1400));
  }
  std::fclose(d.f);
}
