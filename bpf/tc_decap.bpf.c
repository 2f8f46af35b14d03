// SPDX-License-Identifier: GPL-2.0
// tc_decap.bpf.c — the TUN real-server side of ulvs (ulvs-rs tun), for hosts whose kernel has
// no ipip/gre modules.  Attached to the clsact ingress of the interface the director's tunnel
// packets arrive on; strips the outer header that src/xmit/tun.cc adds, so the stack sees the
// client's packet to the VIP (which ulvs-rs put on lo) as if it had been routed here.
//
//   Ethernet | outer IPv4/IPv6 | [UDP to gue_port | GUE v0 (4 bytes + options)] | inner IP ...
//   Ethernet | outer IPv4/IPv6 | [GRE v0 (4 bytes, + 4 per C/K/S bit)]           | inner IP ...
//   Ethernet | outer IPv4/IPv6 |                    (IPIP: proto 4, or 41 for IPv6 inside) ...
//
// Only packets addressed to this host (pkt_type HOST), not fragmented, whose inner destination
// is in `vips` are decapsulated; everything else goes on untouched (TC_ACT_OK).  The Ethernet
// header stays; its ethertype (and skb->protocol) follow the inner family.  This is
// xmit::tun_decap() (src/xmit/tun.cc) in BPF.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/pkt_cls.h>
#include <linux/udp.h>

#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

// Newer than some installed uapi headers (kernel 6.3).
#ifndef BPF_F_ADJ_ROOM_DECAP_L3_IPV4
#define BPF_F_ADJ_ROOM_DECAP_L3_IPV4 (1ULL << 7)
#define BPF_F_ADJ_ROOM_DECAP_L3_IPV6 (1ULL << 8)
#endif

#define IP_MF 0x2000
#define IP_OFFSET 0x1fff
#define GRE_PROTO 47
#define GUE_HLEN 4
#define GRE_HLEN 4
#define MAX_TUNNEL_HDR 256  // outer IP (≤ 60) + UDP + GUE (≤ 128), or + GRE (≤ 16)

// Counter slots, read by `ulvs-rs status` (src/rs/decap_prog.h keeps the same numbers).
enum {
  CNT_DECAP_IPIP = 0,  // IPIP / IPv6-in-IP stripped
  CNT_DECAP_GUE = 1,   // UDP + GUE stripped
  CNT_DECAP_GRE = 2,   // GRE stripped
  CNT_NOT_VIP = 3,     // a tunnel packet whose inner destination is no VIP: passed untouched
  CNT_ERROR = 4,       // bpf_skb_adjust_room refused: passed untouched
  CNT_MAX = 5,
};

// VIPs: IPv6 addresses as they are, IPv4 as IPv4-mapped (::ffff:a.b.c.d).
struct vip_key {
  __u8 addr[16];
};

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 1024);
  __type(key, struct vip_key);
  __type(value, __u8);
} vips SEC(".maps");

// Slot 0: the GUE destination port, host order (0 = no GUE).
struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, __u32);
} cfg SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, CNT_MAX);
  __type(key, __u32);
  __type(value, __u64);
} counters SEC(".maps");

static __always_inline void count(__u32 slot) {
  __u64 *c = bpf_map_lookup_elem(&counters, &slot);
  if (c) *c += 1;
}

// What the outer headers say: where the inner packet starts and which family it is.
struct tunnel {
  __u32 inner_off;   // from the start of the frame
  __u16 inner_proto; // ETH_P_IP or ETH_P_IPV6, host order
  __u8 kind;         // CNT_DECAP_*
};

// The outer IP header: its protocol and the offset of what follows.  0 = not for us.
static __always_inline __u32 outer_ip(void *data, void *end, __u16 eth_proto, __u8 *proto) {
  if (eth_proto == ETH_P_IP) {
    struct iphdr *ip = data + ETH_HLEN;
    if ((void *)(ip + 1) > end || ip->version != 4 || ip->ihl < 5) return 0;
    if (ip->frag_off & bpf_htons(IP_MF | IP_OFFSET)) return 0;  // the stack reassembles
    *proto = ip->protocol;
    return ETH_HLEN + ip->ihl * 4;
  }
  if (eth_proto == ETH_P_IPV6) {
    struct ipv6hdr *ip6 = data + ETH_HLEN;
    if ((void *)(ip6 + 1) > end || ip6->version != 6) return 0;
    *proto = ip6->nexthdr;  // no extension headers: the director sends none
    return ETH_HLEN + sizeof(*ip6);
  }
  return 0;
}

// GRE version 0 without routing; the checksum, key and sequence words are skipped.
static __always_inline int parse_gre(void *data, void *end, __u32 off, struct tunnel *t) {
  __u8 *g = data + off;
  if ((void *)(g + GRE_HLEN) > end) return 0;
  if ((g[0] & 0x40) || (g[1] & 0x07)) return 0;  // routing present, version ≠ 0
  t->inner_off = off + GRE_HLEN + 4 * (!!(g[0] & 0x80) + !!(g[0] & 0x20) + !!(g[0] & 0x10));
  t->inner_proto = (__u16)g[2] << 8 | g[3];
  t->kind = CNT_DECAP_GRE;
  return 1;
}

// UDP to the GUE port, then GUE variant 0 (data, C = 0: 4 bytes + hlen words, proto = 4/41)
// or variant 1 (the inner IP header right after UDP).
static __always_inline int parse_gue(void *data, void *end, __u32 off, struct tunnel *t) {
  struct udphdr *udp = data + off;
  if ((void *)(udp + 1) > end) return 0;
  __u32 zero = 0, *port = bpf_map_lookup_elem(&cfg, &zero);
  if (!port || !*port || udp->dest != bpf_htons((__u16)*port)) return 0;
  __u8 *g = (void *)(udp + 1);
  if ((void *)(g + GUE_HLEN) > end) return 0;
  if (g[0] >> 6 == 1) {  // variant 1: the IP version nibble tells the family
    t->inner_off = off + sizeof(*udp);
    t->inner_proto = (g[0] >> 4) == 4 ? ETH_P_IP : ETH_P_IPV6;
  } else if (g[0] >> 5 == 0) {  // variant 0, C = 0
    t->inner_off = off + sizeof(*udp) + GUE_HLEN + (g[0] & 0x1f) * 4;
    t->inner_proto = g[1] == IPPROTO_IPIP ? ETH_P_IP : g[1] == IPPROTO_IPV6 ? ETH_P_IPV6 : 0;
  } else {
    return 0;  // control message or unknown variant
  }
  t->kind = CNT_DECAP_GUE;
  return 1;
}

static __always_inline int parse_tunnel(void *data, void *end, __u16 eth_proto, struct tunnel *t) {
  __u8 proto = 0;
  __u32 off = outer_ip(data, end, eth_proto, &proto);
  if (!off) return 0;
  switch (proto) {
    case IPPROTO_IPIP:
    case IPPROTO_IPV6:
      t->inner_off = off;
      t->inner_proto = proto == IPPROTO_IPIP ? ETH_P_IP : ETH_P_IPV6;
      t->kind = CNT_DECAP_IPIP;
      return 1;
    case GRE_PROTO:
      return parse_gre(data, end, off, t);
    case IPPROTO_UDP:
      return parse_gue(data, end, off, t);
  }
  return 0;
}

// The inner destination as a `vips` key; 0 if the inner header is short or of the wrong version.
static __always_inline int inner_dst(void *data, void *end, const struct tunnel *t, struct vip_key *k) {
  __u32 off = t->inner_off;
  if (off > MAX_TUNNEL_HDR) return 0;  // also bounds `off` for the verifier
  if (t->inner_proto == ETH_P_IP) {
    struct iphdr *ip = data + off;
    if ((void *)(ip + 1) > end || ip->version != 4) return 0;
    __builtin_memset(k, 0, sizeof(*k));
    k->addr[10] = k->addr[11] = 0xff;
    __builtin_memcpy(&k->addr[12], &ip->daddr, 4);
    return 1;
  }
  if (t->inner_proto == ETH_P_IPV6) {
    struct ipv6hdr *ip6 = data + off;
    if ((void *)(ip6 + 1) > end || ip6->version != 6) return 0;
    __builtin_memcpy(k->addr, &ip6->daddr, 16);
    return 1;
  }
  return 0;
}

SEC("tc")
int ulvs_decap(struct __sk_buff *skb) {
  void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
  struct ethhdr *eth = data;
  if ((void *)(eth + 1) > end || skb->pkt_type != PACKET_HOST) return TC_ACT_OK;

  __u16 outer = bpf_ntohs(eth->h_proto);
  struct tunnel t = {};
  struct vip_key key;
  if (!parse_tunnel(data, end, outer, &t) || !inner_dst(data, end, &t, &key)) return TC_ACT_OK;
  if (!bpf_map_lookup_elem(&vips, &key)) {
    count(CNT_NOT_VIP);
    return TC_ACT_OK;
  }

  // Remove everything between the Ethernet header and the inner IP header.  When the family
  // changes, the DECAP_L3 flag makes the kernel set skb->protocol to the inner one.
  __u64 flags = 0;
  if (t.inner_proto != outer)
    flags = t.inner_proto == ETH_P_IP ? BPF_F_ADJ_ROOM_DECAP_L3_IPV4 : BPF_F_ADJ_ROOM_DECAP_L3_IPV6;
  if (bpf_skb_adjust_room(skb, -(__s32)(t.inner_off - ETH_HLEN), BPF_ADJ_ROOM_MAC, flags)) {
    count(CNT_ERROR);
    return TC_ACT_OK;
  }
  // The Ethernet header's type too, for packet sockets (tcpdump) that look at the bytes.
  if (t.inner_proto != outer) {
    __u16 proto = bpf_htons(t.inner_proto);
    bpf_skb_store_bytes(skb, __builtin_offsetof(struct ethhdr, h_proto), &proto, sizeof(proto), 0);
  }
  count(t.kind);
  return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
