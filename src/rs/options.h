// options.h — the ulvs-rs command line.
//
//   ulvs-rs dr     --vip ADDR [--vip ADDR ...]
//   ulvs-rs tun    --vip ADDR [--vip ADDR ...] --dev IFACE [--gue-port N]
//   ulvs-rs down   --vip ADDR [--vip ADDR ...] [--dev IFACE]
//   ulvs-rs status [--dev IFACE]
//   ulvs-rs toa    attach [--cgroup PATH] | show | detach
//
// parse_options() throws UsageError for anything else (exit 2).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "net/addr.h"

namespace ulvs::rs {

enum class Command { Help, Dr, Tun, Down, Status, ToaAttach, ToaShow, ToaDetach };

struct Options {
  Command command = Command::Help;
  std::vector<net::Addr> vips;  // in the order given, duplicates removed
  std::string dev;              // empty: none given
  uint16_t gue_port = 0;        // 0: no GUE decapsulation
  std::string cgroup;           // toa attach; empty: the cgroup v2 mount's root
};

Options parse_options(int argc, char** argv);

extern const char* const kUsage;

}  // namespace ulvs::rs
