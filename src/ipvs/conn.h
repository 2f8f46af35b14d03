// conn.h — one connection entry (ip_vs_conn), packed into 120 bytes (at most 128).
//
// An entry is either a connection (client <-> real server) or a persistence template
// (flag kTemplate: masked client, port 0, bound to the dest later connections reuse).
// Entries live in ConnTable's preallocated pool and are addressed by 32-bit index; the
// hash-chain and timer links are indices too, which keeps the entry small.
//
// FULLNAT + Proxy Protocol (xmit/proxy_insert.h) keeps its sequence shift in pp_seq/pp_delta,
// which sit in what was alignment padding (sizeof stays 120): e.g. a client ISN of 1000 and a
// 40-byte "PROXY TCP4 …" header give pp_seq 1001, pp_delta 40; pp_delta 0 = no shift.
#pragma once

#include <array>
#include <cstdint>

#include "ipvs/proto_tcp.h"
#include "net/addr.h"

namespace ulvs::ipvs {

struct Dest;

using ConnId = uint32_t;
constexpr ConnId kNoConn = 0xFFFFFFFFu;

// Connection flags, with the kernel's bit values where it has them (IP_VS_CONN_F_*).
namespace conn_flag {
constexpr uint16_t kFwdMask = 0x0007;
constexpr uint16_t kProxyV2 = 0x0010;  // ulvs: the Proxy Protocol header is v2 (else v1)
constexpr uint16_t kSync = 0x0020;
constexpr uint16_t kHashed = 0x0040;
constexpr uint16_t kNoOutput = 0x0080;
constexpr uint16_t kInactive = 0x0100;
constexpr uint16_t kLive = 0x0200;     // in use (pool bookkeeping; the kernel's OUT_SEQ is unused here)
constexpr uint16_t kNoCport = 0x0800;
constexpr uint16_t kTemplate = 0x1000;
constexpr uint16_t kOnePacket = 0x2000;
constexpr uint16_t kInvalid = 0x4000;  // invalidated template: skipped by lookups (dport 0xffff)
constexpr uint16_t kAssured = 0x8000;  // template state ASSURED (kernel keeps it in state)
}  // namespace conn_flag

struct Conn {
  std::array<uint8_t, 16> caddr, vaddr, daddr;  // network order; fwmark templates: mark in vaddr
  uint16_t cport, vport, dport;                 // host order
  uint16_t lport;                               // FULLNAT local port
  uint8_t family;                               // net::Family
  uint8_t protocol;                             // IPPROTO_*; 0 = fwmark template
  uint16_t flags;
  uint8_t state;                                // TcpState, or 0 (UDP / template NONE)
  uint8_t laddr_idx;                            // FULLNAT local address, index into the pool
  uint16_t pp_delta;                            // Proxy Protocol header length, 0 = none
  uint32_t fwmark;
  uint32_t timeout_ms;                          // current idle timeout
  uint32_t expires;                             // wheel tick when it expires
  uint32_t slotted;                             // wheel tick of the slot it sits in
  uint32_t in_pkts;
  ConnId control;                               // the template it belongs to, or kNoConn
  uint32_t n_control;                           // templates: connections they control
  uint32_t hnext[2];                            // hash chains: [0] in-key, [1] out-key
  ConnId tnext, tprev;                          // timer wheel slot list
  uint32_t pp_seq;                              // client's first data byte (ISN + 1), with pp_delta
  Dest* dest;

  net::Family af() const { return static_cast<net::Family>(family); }
  bool is_template() const { return flags & conn_flag::kTemplate; }
  uint16_t fwd() const { return flags & conn_flag::kFwdMask; }
  TcpState tcp_state() const { return static_cast<TcpState>(state); }
  net::Addr client() const { return make(caddr); }
  net::Addr vip() const { return make(vaddr); }
  net::Addr real() const { return make(daddr); }

 private:
  net::Addr make(const std::array<uint8_t, 16>& b) const {
    net::Addr a;
    a.family = af();
    a.bytes = b;
    return a;
  }
};
static_assert(sizeof(Conn) <= 128, "a connection entry must stay within 128 bytes");

}  // namespace ulvs::ipvs
