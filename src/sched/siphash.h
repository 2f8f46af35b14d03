// siphash.h — the kernel's hsiphash() as a 64-bit kernel computes it (SipHash-1-3), which the
// mh scheduler uses to place real servers and clients in its lookup table.
//
// On 64-bit kernels hsiphash is SipHash with 1 compression and 3 finalisation rounds, 64-bit
// key words, and the 64-bit result truncated to 32 bits (32-bit kernels use HalfSipHash
// instead and get different tables; ulvs matches x86-64).
//
//   HsipKey k{0x0706050403020100, 0x0f0e0d0c0b0a0908};
//   hsiphash(std::array<uint8_t, 4>{0, 1, 2, 3}, k);   // 0x88d38328 (kernel test vector)
//   hsiphash_u32(0x03020100, k);                      // the same: a u32 as it sits in memory
#pragma once

#include <cstdint>
#include <span>

namespace ulvs::sched {

struct HsipKey {
  uint64_t k0 = 0, k1 = 0;
};

uint32_t hsiphash(std::span<const uint8_t> data, const HsipKey& key);

// hsiphash(&v, sizeof v, key) on a little-endian machine, as ip_vs_mh.c calls it.
uint32_t hsiphash_u32(uint32_t v, const HsipKey& key);

}  // namespace ulvs::sched
