// siphash.cc — SipHash-1-3 truncated to 32 bits: the kernel's 64-bit hsiphash (lib/siphash.c).
#include "sched/siphash.h"

#include <bit>

namespace ulvs::sched {

namespace {

struct State {
  uint64_t v0, v1, v2, v3;

  explicit State(const HsipKey& k)
      : v0(0x736f6d6570736575ull ^ k.k0),  // "somepseudorandomlygeneratedbytes"
        v1(0x646f72616e646f6dull ^ k.k1),
        v2(0x6c7967656e657261ull ^ k.k0),
        v3(0x7465646279746573ull ^ k.k1) {}

  void round() {
    v0 += v1; v1 = std::rotl(v1, 13); v1 ^= v0; v0 = std::rotl(v0, 32);
    v2 += v3; v3 = std::rotl(v3, 16); v3 ^= v2;
    v0 += v3; v3 = std::rotl(v3, 21); v3 ^= v0;
    v2 += v1; v1 = std::rotl(v1, 17); v1 ^= v2; v2 = std::rotl(v2, 32);
  }
  // One compression round per 8-byte word: the "1" of SipHash-1-3.
  void absorb(uint64_t m) {
    v3 ^= m;
    round();
    v0 ^= m;
  }
};

}  // namespace

uint32_t hsiphash(std::span<const uint8_t> data, const HsipKey& key) {
  State s(key);
  size_t i = 0;
  for (; i + 8 <= data.size(); i += 8) {
    uint64_t m = 0;
    for (int b = 0; b < 8; ++b) m |= uint64_t(data[i + b]) << (8 * b);  // little-endian word
    s.absorb(m);
  }
  // The last word holds the leftover bytes and the length in its top byte.
  uint64_t last = uint64_t(data.size()) << 56;
  for (int b = 0; i + b < data.size(); ++b) last |= uint64_t(data[i + b]) << (8 * b);
  s.absorb(last);
  // Finalisation: the "3" of SipHash-1-3.
  s.v2 ^= 0xff;
  s.round();
  s.round();
  s.round();
  return static_cast<uint32_t>(s.v0 ^ s.v1 ^ s.v2 ^ s.v3);
}

uint32_t hsiphash_u32(uint32_t v, const HsipKey& key) {
  const uint8_t bytes[4] = {uint8_t(v), uint8_t(v >> 8), uint8_t(v >> 16), uint8_t(v >> 24)};
  return hsiphash(bytes, key);
}

}  // namespace ulvs::sched
