// Finishing CHECKSUM_PARTIAL frames: start from a correct frame, put the pseudo-header sum
// where the stack would have, and check the completed checksum equals the original.
#include "net/partial_csum.h"

#include <gtest/gtest.h>

#include "net/builder.h"
#include "net/checksum.h"
#include "net/frame.h"
#include "net/wire.h"

using namespace ulvs::net;

namespace {

// What a stack with offload leaves in the field: the folded pseudo-header sum.
std::vector<uint8_t> as_partial(std::vector<uint8_t> f, uint32_t field) {
  ParsedFrame p = parse_frame(f);
  uint32_t l4_len = p.l3_offset + p.l3_len - p.l4_offset;
  store16(f.data() + p.l4_offset + field, csum_fold(pseudo_header_sum(p.src, p.dst, p.l4_proto, l4_len)));
  return f;
}

Addr A(const char* s) { return *Addr::parse(s); }

}  // namespace

TEST(PartialChecksum, TcpV4AndV6AreCompletedToTheTrueChecksum) {
  for (auto [s, d] : {std::pair{"10.0.0.1", "10.0.0.2"}, std::pair{"2001:db8::1", "2001:db8::2"}}) {
    auto good = build_tcp({.src = A(s), .dst = A(d)},
                          {.flags = tcp_flag::ACK, .payload = std::vector<uint8_t>(1001, 0x5a)});
    auto f = as_partial(good, 16);
    ASSERT_NE(f, good);
    ASSERT_TRUE(complete_partial_checksum(f));
    EXPECT_EQ(f, good) << s;
  }
}

TEST(PartialChecksum, UdpIsCompleted) {
  auto good = build_udp({.src = A("10.0.0.1"), .dst = A("10.0.0.2")}, {.payload = {1, 2, 3}});
  auto f = as_partial(good, 6);
  ASSERT_TRUE(complete_partial_checksum(f));
  EXPECT_EQ(f, good);
}

TEST(PartialChecksum, RefusesWhatItCannotComplete) {
  auto frag = build_udp({.src = A("10.0.0.1"), .dst = A("10.0.0.2"), .fragment = FragmentSpec{.offset = 8}},
                        {.payload = {1, 2, 3}});
  auto before = frag;
  EXPECT_FALSE(complete_partial_checksum(frag));
  EXPECT_EQ(frag, before);
  auto ping = build_icmp_echo({}, false, 1, 1);
  EXPECT_FALSE(complete_partial_checksum(ping));
  std::vector<uint8_t> junk(20, 0xff);
  EXPECT_FALSE(complete_partial_checksum(junk));
}
