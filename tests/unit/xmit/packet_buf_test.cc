// PacketBuf: room accounting, and insert/erase moving the shorter side without losing bytes.
#include "xmit/packet_buf.h"

#include <gtest/gtest.h>

#include <numeric>
#include <vector>

using ulvs::xmit::PacketBuf;

namespace {
struct Buf {
  std::vector<uint8_t> mem;
  PacketBuf b;
  Buf(size_t head, size_t len, size_t tail) : mem(head + len + tail) {
    std::iota(mem.begin() + head, mem.begin() + head + len, uint8_t(0));
    b = {mem.data(), mem.size(), head, len};
  }
  std::vector<uint8_t> bytes() const { return {b.data(), b.data() + b.len}; }
};
std::vector<uint8_t> seq(size_t n) {
  std::vector<uint8_t> v(n);
  std::iota(v.begin(), v.end(), uint8_t(0));
  return v;
}
}  // namespace

TEST(PacketBuf, PushPullTrim) {
  Buf x(8, 10, 4);
  EXPECT_EQ(x.b.headroom(), 8u);
  EXPECT_EQ(x.b.tailroom(), 4u);
  EXPECT_FALSE(x.b.push_front(9));
  EXPECT_TRUE(x.b.push_front(8));
  EXPECT_EQ(x.b.len, 18u);
  EXPECT_TRUE(x.b.pull_front(8));
  EXPECT_EQ(x.bytes(), seq(10));
  EXPECT_FALSE(x.b.pull_front(11));
  EXPECT_FALSE(x.b.trim(11));
  EXPECT_TRUE(x.b.trim(4));
  EXPECT_EQ(x.bytes(), seq(4));
}

TEST(PacketBuf, InsertAndEraseKeepEverythingElse) {
  for (size_t head : {0, 3, 16})
    for (size_t tail : {0, 3, 16})
      for (size_t at = 0; at <= 10; ++at)
        for (size_t n : {1, 3, 4}) {
          Buf x(head, 10, tail);
          bool ok = x.b.insert(at, n);
          EXPECT_EQ(ok, n <= head || n <= tail);
          if (!ok) {
            EXPECT_EQ(x.bytes(), seq(10));
            continue;
          }
          std::vector<uint8_t> got = x.bytes(), want = seq(10);
          ASSERT_EQ(got.size(), 10 + n);
          EXPECT_TRUE(std::equal(want.begin(), want.begin() + at, got.begin()));
          EXPECT_TRUE(std::equal(want.begin() + at, want.end(), got.begin() + at + n));
          ASSERT_TRUE(x.b.erase(at, n));
          EXPECT_EQ(x.bytes(), want) << head << " " << tail << " " << at << " " << n;
          EXPECT_EQ(x.b.headroom() + x.b.len + x.b.tailroom(), x.mem.size());
        }
}

TEST(PacketBuf, OutOfRangeIsRefused) {
  Buf x(4, 10, 4);
  EXPECT_FALSE(x.b.insert(11, 1));
  EXPECT_FALSE(x.b.erase(8, 3));
  EXPECT_FALSE(x.b.erase(11, 0));
  EXPECT_EQ(x.bytes(), seq(10));
}
