// steer_program.h — the XDP steering program (bpf/xdp_steer.bpf.c) on one interface, shared
// by that interface's AF_XDP ports (one per RX queue).  The first port to acquire it loads the
// program from the embedded skeleton and attaches it (native mode, SKB mode if the driver
// refuses); the last one to let go detaches it, so the interface is left without XDP.
//
//   auto prog = SteerProgram::acquire("eth0", ifindex, err);   // nullptr + err on failure
//   prog->add_socket(queue, xsk_socket__fd(xsk), err);         // xsks_map[queue] = fd
//   prog->set_owned(owned, err);                               // rewrites the `owned` map
//   prog->remove_socket(queue);
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "dataplane/io/port.h"

struct xdp_steer;     // the bpftool skeleton (xdp_steer.skel.h)
struct xdp_program;   // libxdp

namespace ulvs::dataplane {

// Key of the `owned` map: must match struct owned_key in bpf/xdp_steer.bpf.c.
struct OwnedKey {
  uint8_t addr[16] = {};   // network order; IPv4 in the first 4 bytes
  uint8_t family = 0;      // net::Family: 4 or 6
  uint8_t proto = 0;       // NAT real-server endpoints: IPPROTO_TCP/UDP; else 0
  uint16_t port = 0;       // NAT real-server endpoints: the port, network order (0: any)

  friend auto operator<=>(const OwnedKey&, const OwnedKey&) = default;
};
static_assert(sizeof(OwnedKey) == 20);

// Value bits of the `owned` map.
enum OwnedKind : uint32_t {
  kOwnedVip = 1,
  kOwnedLocal = 2,
  kOwnedNatReal = 4,
  kOwnedHost = 8,   // the host's own address: NAT_REAL -> HOST frames (health checks) pass
  kOwnedNatRealAddr = 16,  // address of a NAT real server: its ICMP errors are ours
};

class SteerProgram {
 public:
  static std::shared_ptr<SteerProgram> acquire(const std::string& ifname, uint32_t ifindex,
                                               std::string& err);
  ~SteerProgram();
  SteerProgram(const SteerProgram&) = delete;
  SteerProgram& operator=(const SteerProgram&) = delete;

  bool native() const { return native_; }   // XDP_MODE_NATIVE (else XDP_MODE_SKB)

  bool add_socket(uint32_t queue, int xsk_fd, std::string& err);
  void remove_socket(uint32_t queue);

  // Makes the `owned` map hold exactly `owned` plus the host's current addresses (all
  // interfaces, getifaddrs): stale keys are deleted, the others inserted or updated.
  bool set_owned(const Owned& owned, std::string& err);

 private:
  SteerProgram() = default;
  bool attach(const std::string& ifname, uint32_t ifindex, std::string& err);
  void close_program();

  uint32_t ifindex_ = 0;
  bool native_ = false;
  bool attached_ = false;
  xdp_steer* skel_ = nullptr;
  xdp_program* prog_ = nullptr;
  int xsks_fd_ = -1, owned_fd_ = -1;

  std::mutex mu_;                                  // guards installed_ and the map writes
  std::map<OwnedKey, uint32_t> installed_;         // what `owned` holds
};

}  // namespace ulvs::dataplane
