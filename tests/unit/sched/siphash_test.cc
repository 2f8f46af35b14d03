// siphash_test.cc — hsiphash against the kernel's own 64-bit test vectors (lib/siphash test
// module: key 00..0f, input bytes 00..len-1, one vector per length 0..63).
#include "sched/siphash.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>

namespace ulvs::sched {
namespace {

constexpr HsipKey kTestKey{0x0706050403020100ull, 0x0f0e0d0c0b0a0908ull};

// test_vectors_hsiphash[] for BITS_PER_LONG == 64.
constexpr std::array<uint32_t, 64> kVectors = {
    0x050fc4dc, 0x7d57ca93, 0x4dc7d44d, 0xe7ddf7fb, 0x88d38328, 0x49533b67, 0xc59f22a7, 0x9bb11140,
    0x8d299a8e, 0x6c063de4, 0x92ff097f, 0xf94dc352, 0x57b4d9a2, 0x1229ffa7, 0xc0f95d34, 0x2a519956,
    0x7d908b66, 0x63dbd80c, 0xb473e63e, 0x8d297d1c, 0xa6cce040, 0x2b45f844, 0xa320872e, 0xdae6c123,
    0x67349c8c, 0x705b0979, 0xca9913a5, 0x4ade3b35, 0xef6cd00d, 0x4ab1e1f4, 0x43c5e663, 0x8c21d1bc,
    0x16a7b60d, 0x7a8ff9bf, 0x1f2a753e, 0xbf186b91, 0xada26206, 0xa3c33057, 0xae3a36a1, 0x7b108392,
    0x99e41531, 0x3f1ad944, 0xc8138825, 0xc28949a6, 0xfaf8876b, 0x9f042196, 0x68b1d623, 0x8b5114fd,
    0xdf074c46, 0x12cc86b3, 0x0a52098f, 0x9d292f9a, 0xa2f41f12, 0x43a71ed0, 0x73f0bce6, 0x70a7e980,
    0x243c6d75, 0xfdb71513, 0xa67d8a08, 0xb7e8f148, 0xf7a644ee, 0x0f1837f2, 0x4b6694e0, 0xb7bbb3a8,
};

TEST(Hsiphash, SpecVector) {
  const uint8_t in[4] = {0, 1, 2, 3};
  EXPECT_EQ(hsiphash(in, kTestKey), 0x88d38328u);
}

TEST(Hsiphash, U32IsItsLittleEndianBytes) {
  // ip_vs_mh.c hashes a u32 variable in place: on x86 its bytes are 00 01 02 03 for 0x03020100.
  EXPECT_EQ(hsiphash_u32(0x03020100u, kTestKey), 0x88d38328u);
}

TEST(Hsiphash, KernelVectorsAllLengths) {
  std::array<uint8_t, 64> in{};
  for (size_t i = 0; i < in.size(); ++i) in[i] = uint8_t(i);
  for (size_t len = 0; len < kVectors.size(); ++len)
    EXPECT_EQ(hsiphash(std::span(in.data(), len), kTestKey), kVectors[len]) << "len " << len;
}

}  // namespace
}  // namespace ulvs::sched
