// decap_prog.h — bpf/tc_decap.bpf.c on an interface's clsact ingress.
//
// The program is loaded from the embedded skeleton, its maps filled (VIPs, GUE port), then
// attached as a tc filter (handle kTcHandle, priority kTcPriority), replacing an earlier one.
// The filter holds the program and the program its maps, so it all stays after ulvs-rs exits;
// query_decap() finds the maps again through the attached program's id.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "net/addr.h"

namespace ulvs::rs {

inline constexpr uint32_t kTcHandle = 0x756c;  // "ul"
inline constexpr uint32_t kTcPriority = 1;
inline constexpr const char* kProgName = "ulvs_decap";

// The counter slots of tc_decap.bpf.c, with the names status prints.
inline constexpr std::array<const char*, 5> kCounterNames = {
    "decap ipip", "decap gue", "decap gre", "passed not-vip", "passed error"};

struct DecapState {
  uint32_t prog_id = 0;
  std::string prog_name;     // kProgName unless someone else's filter sits at our handle
  uint16_t gue_port = 0;     // 0: GUE off
  std::vector<net::Addr> vips;
  std::array<uint64_t, kCounterNames.size()> counters{};  // summed over CPUs
};

// Throws Failure.
void attach_decap(int ifindex, const std::vector<net::Addr>& vips, uint16_t gue_port);
// True if a filter was removed.
bool detach_decap(int ifindex);
// nullopt when nothing is attached at our handle.
std::optional<DecapState> query_decap(int ifindex);

}  // namespace ulvs::rs
