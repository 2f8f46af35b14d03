// frag_table.h — IP fragments forwarded by their first fragment's connection, without
// reassembly (the kernel's IPVS reassembles; a user-space director forwarding fragment by
// fragment keeps no datagram in memory and adds no latency).
//
//   dataplane::FragTable frags;
//   auto key = dataplane::fragment_key(frame, parsed);        // (family, src, dst, id, proto)
//   // first fragment (offset 0, carries the ports) went through the engine to connection id:
//   frags.learn({.key = *key, .id = id, .route = ConnCopy::of(*conn, laddr)}, now);
//   for (auto& h : frags.take(*key)) ...                      // fragments that came early
//   // a later fragment:
//   if (const auto* e = frags.find(*key, now)) ...            // same rewrite, same egress
//   else if (!frags.hold(*key, frame, ingress, now)) drop();  // no room: counted drop
//   size_t orphans = frags.expire(now);                       // their first never came
//
// An entry keeps a copy of the connection's addresses (ConnCopy, ~170 bytes), not just its id:
// a one-packet UDP entry is released before the next fragment arrives.
//
// Bounds (memory is fixed whatever arrives): 1024 learnt datagrams, each forgotten 2 s after
// its first fragment (a slot's probe window is 8; when all 8 are live the oldest is evicted);
// at most 64 datagrams with early fragments, 8 fragments each, 256 KiB of copies in all, each
// kept 1 s after the first of them arrived.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "ipvs/clock.h"
#include "ipvs/conn.h"
#include "ipvs/dest.h"
#include "net/addr.h"
#include "net/frame.h"

namespace ulvs::dataplane {

struct FragKey {
  net::Addr src, dst;  // the family is in the addresses
  uint32_t id = 0;     // IPv4 identification (16 bits) or the IPv6 fragment header's
  uint8_t proto = 0;   // the upper-layer protocol
  friend bool operator==(const FragKey&, const FragKey&) = default;
};

// The key of an IPv4 fragment or an IPv6 packet with a fragment header; nullopt otherwise.
std::optional<FragKey> fragment_key(std::span<uint8_t> frame, const net::ParsedFrame& p);

// What forwarding a related packet (a later fragment, an ICMP error) needs of a connection,
// copied: a one-packet entry is gone by the next fragment, and a copy never dangles.
struct ConnCopy {
  ipvs::Conn conn{};   // its `dest` cleared
  net::Addr laddr;     // FULLNAT local address
  ipvs::TunType tun_type = ipvs::TunType::Ipip;
  uint16_t tun_port = 0, tun_flags = 0;

  static ConnCopy of(const ipvs::Conn& c, const net::Addr& laddr);
};

class FragTable {
 public:
  static constexpr size_t kEntries = 1024;       // learnt datagrams (power of two)
  static constexpr size_t kProbe = 8;            // slots a key may occupy
  static constexpr ipvs::TimeMs kEntryMs = 2000;
  static constexpr size_t kPendingKeys = 64;     // datagrams with early fragments
  static constexpr size_t kPerKey = 8;           // early fragments kept per datagram
  static constexpr size_t kHeldBytes = 256 * 1024;
  static constexpr ipvs::TimeMs kHoldMs = 1000;

  // Where the datagram's first fragment went: a connection, or the host's stack (Pass).
  enum class Via : uint8_t { Conn, Kernel };
  struct Entry {
    FragKey key;
    ipvs::TimeMs expires = 0;  // 0 / past: free slot
    Via via = Via::Conn;
    bool reply = false;        // the first fragment was a reply (real server → client)
    ipvs::ConnId id = ipvs::kNoConn;  // for the byte counters, if the entry still lives
    ConnCopy route;            // Via::Conn: the rewrite and egress of the first fragment
  };
  struct Held {
    std::vector<uint8_t> frame;
    uint32_t ingress = 0;
  };

  FragTable();

  void learn(const Entry& e, ipvs::TimeMs now);  // e.expires is set here
  const Entry* find(const FragKey& k, ipvs::TimeMs now) const;

  // Keeps a copy of an early fragment; false: no room (the caller drops it, counted).
  bool hold(const FragKey& k, std::span<const uint8_t> frame, uint32_t ingress, ipvs::TimeMs now);
  // The early fragments of `k`, in arrival order (their slot is freed).
  std::vector<Held> take(const FragKey& k);
  // Frees held fragments whose time is up; returns how many were dropped.  Cheap when
  // nothing is due.
  size_t expire(ipvs::TimeMs now);

  size_t held_frames() const;
  size_t held_bytes() const { return held_bytes_; }

 private:
  struct Pending {
    FragKey key;
    ipvs::TimeMs deadline = 0;
    std::vector<Held> frames;
    bool used = false;
  };
  size_t slot(const FragKey& k) const;
  Pending* pending(const FragKey& k);

  std::vector<Entry> entries_;
  std::array<Pending, kPendingKeys> pending_{};
  size_t pending_used_ = 0;
  size_t held_bytes_ = 0;
  ipvs::TimeMs next_deadline_ = 0;  // earliest pending deadline, 0: none
};

}  // namespace ulvs::dataplane
