// DR: only the Ethernet addresses change; VLAN tags and the IP packet stay as they were.
#include "xmit/dr.h"

#include <gtest/gtest.h>

#include "xmit_test_util.h"

using namespace ulvs;
using namespace ulvs::xmit;
using namespace ulvs::xmit::test;

TEST(Dr, RewritesOnlyTheMacs) {
  for (auto v : all_variants()) {
    Flow fl = flow(v.fam);
    Bytes orig = make_frame(v, fl.client, fl.cport, fl.vip, fl.vport);
    TestFrame t(orig);
    net::Mac rs{0x02, 0xaa, 0, 0, 0, 0x10}, me{0x02, 0xbb, 0, 0, 0, 0x20};
    ASSERT_EQ(dr_xmit(t.buf, rs, me), Status::Ok);
    Bytes got = t.bytes();
    ASSERT_EQ(got.size(), orig.size());
    EXPECT_TRUE(std::equal(rs.begin(), rs.end(), got.begin()));
    EXPECT_TRUE(std::equal(me.begin(), me.end(), got.begin() + 6));
    EXPECT_TRUE(std::equal(got.begin() + 12, got.end(), orig.begin() + 12));
    EXPECT_EQ(t.parse().vlan_count, v.vlans);
  }
}

TEST(Dr, ShortFrameIsRefused) {
  for (size_t n = 0; n < 14; ++n) {
    TestFrame t(Bytes(n, 0), 0, 0);
    EXPECT_EQ(dr_xmit(t.buf, {}, {}), Status::Malformed);
  }
}
