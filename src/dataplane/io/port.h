// port.h — one network interface queue as the workers see it: a batch of received frames
// in, frames to send out.  Two backends implement it: AF_XDP (afxdp_port.h, the XDP program
// in bpf/ steers only the director's traffic to it) and AF_PACKET with TPACKET_V3 rings
// (afpacket_port.h, the fallback: a tap that sees every frame; the kernel keeps its copy).
//
//   std::string err;
//   auto port = open_port({.ifname = "eth0", .queue = 0, .backend = Backend::AfPacket}, err);
//   if (!port) die(err);
//   port->receive(64, [&](std::span<const uint8_t> frame) { ...copy, process... });
//   port->send(frame_bytes);          // queued in the TX ring
//   port->flush();                    // one kick for the batch
//   poll({port->fd(), POLLIN}, ...);  // idle: sleep until frames arrive (no busy loop)
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "net/addr.h"

namespace ulvs::dataplane {

enum class Backend : uint8_t { AfXdp, AfPacket };

struct PortConfig {
  std::string ifname;
  uint32_t queue = 0;            // the interface's RX queue this port reads
  Backend backend = Backend::AfXdp;
  bool zero_copy = false;        // AF_XDP: ask for zero-copy (falls back to copy mode if refused)
  bool busy_poll = false;        // AF_XDP: no need_wakeup (the worker spins)
  uint32_t ring_size = 2048;     // descriptors per ring (AF_XDP) / frames per ring (AF_PACKET)
};

// A NAT real server's service endpoint: its replies come from here (port 0: any port).
struct RealEndpoint {
  net::Addr addr;
  uint8_t protocol = 0;   // IPPROTO_TCP / IPPROTO_UDP
  uint16_t port = 0;
  friend auto operator<=>(const RealEndpoint&, const RealEndpoint&) = default;
};

// The addresses the director owns, for backends that steer in the kernel (AF_XDP's XDP
// program keeps them in BPF maps): frames to a VIP or a FULLNAT local address, and — for NAT
// replies, addressed to the client — frames from a NAT real server's service endpoint (and
// its ICMP errors) go to the worker; everything else stays with the kernel.
struct Owned {
  std::vector<net::Addr> vips;
  std::vector<net::Addr> locals;
  std::vector<RealEndpoint> nat_reals;   // incl. deleted ones whose connections live on
};

struct PortStats {
  uint64_t rx = 0, tx = 0;
  uint64_t rx_dropped = 0;    // lost before us: ring full / kernel drops (tp_drops, xsk stats)
  uint64_t tx_dropped = 0;    // TX ring full or send error
  uint64_t oversize = 0;      // frames larger than the worker's buffer
  uint64_t kernel_lost = 0;   // ToKernel frames the backend could not hand back (AF_XDP)
};

class Port {
 public:
  virtual ~Port() = default;

  virtual const std::string& ifname() const = 0;
  virtual uint32_t ifindex() const = 0;
  virtual uint32_t queue() const = 0;
  // Readable (POLLIN) when frames wait; the worker polls it when idle.
  virtual int fd() const = 0;

  // Calls on_frame for up to `max` received frames; the span is valid during the call only.
  // Returns how many frames were handed over.
  virtual size_t receive(size_t max, const std::function<void(std::span<const uint8_t>)>& on_frame) = 0;
  // Queues a frame for transmission (copied); false when the TX ring is full (counted).
  virtual bool send(std::span<const uint8_t> frame) = 0;
  // Kicks the kernel for everything queued since the last flush.
  virtual void flush() = 0;
  // A received frame the pipeline gives to the host's stack.  AF_PACKET: nothing to do (the
  // kernel got its own copy); AF_XDP: re-injected if the backend can, else counted lost.
  virtual void to_kernel(std::span<const uint8_t> frame) = 0;
  // What the director owns (no-op for AF_PACKET).
  virtual void set_owned(const Owned& owned) { (void)owned; }

  virtual PortStats stats() const = 0;
};

// Opens a port with the given backend; nullptr and `err` set when it cannot.
std::unique_ptr<Port> open_port(const PortConfig& cfg, std::string& err);

// Backend constructors (open_port dispatches to them).
std::unique_ptr<Port> open_afpacket_port(const PortConfig& cfg, std::string& err);
std::unique_ptr<Port> open_afxdp_port(const PortConfig& cfg, std::string& err);

}  // namespace ulvs::dataplane
