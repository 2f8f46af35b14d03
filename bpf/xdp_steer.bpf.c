// xdp_steer.bpf.c — the XDP program in front of ulvs's AF_XDP sockets: it sends the
// director's traffic to the worker's socket of the frame's RX queue and leaves everything
// else to the kernel (SSH, ARP/ND for the host, health checks, BGP, VRRP).
//
// To the socket (bpf_redirect_map on xsks_map[rx_queue_index]; XDP_PASS when that queue has
// no socket):
//   - IPv4/IPv6 TCP, UDP, ICMP(v6) — and IPv4/IPv6 fragments — whose destination is a VIP or
//     a FULLNAT local address;
//   - TCP/UDP and ICMP(v6) errors whose source is a real server of a NAT service (its replies
//     are addressed to the client), unless the destination is one of the host's own
//     addresses (the director's health checks of that real server);
//   - ARP requests and IPv6 neighbour solicitations whose target is a VIP or local address.
// Up to two VLAN tags are skipped.  The daemon fills `owned` (see steer_program.cc).
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/icmpv6.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

// Kinds of an owned address (bitmask; one address can be several).
#define KIND_VIP 1
#define KIND_LOCAL 2
#define KIND_NAT_REAL 4
#define KIND_HOST 8   // an address of the host itself (filled by the port, not the daemon)
#define KIND_NAT_REAL_ADDR 16   // the address of a NAT real server (its ICMP errors)

// A NAT real server's frames are ours only when they come from the endpoint of a service
// (addr, protocol, port — port 0: any port, for fwmark and port-0 services): the key of a
// NAT_REAL entry carries the protocol and port.  Whatever else the real server sends (its
// own DNS lookups, updates) stays with the kernel, which routes it as any router would.

// ICMP error types (linux/icmp.h drags in libc headers).
#define ICMP_DEST_UNREACH 3
#define ICMP_TIME_EXCEEDED 11
#define ICMP_PARAMETERPROB 12

#define FAMILY_V4 4   // net::Family values
#define FAMILY_V6 6

// Key of `owned`: the address as 16 bytes in network order (IPv4 in the first 4), the
// family, zero padding.  Must match OwnedKey in src/dataplane/io/steer_program.h.
struct owned_key {
  __u8 addr[16];
  __u8 family;
  __u8 proto;     // NAT_REAL endpoints only, else 0
  __be16 port;    // NAT_REAL endpoints only (0: any port), else 0
};

struct {
  __uint(type, BPF_MAP_TYPE_XSKMAP);
  __uint(max_entries, 256);   // RX queues
  __type(key, __u32);
  __type(value, __u32);
} xsks_map SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 16384);
  __type(key, struct owned_key);
  __type(value, __u32);   // KIND_* bits
} owned SEC(".maps");

struct vlan_hdr {
  __be16 tci;
  __be16 proto;
};

// ARP for IPv4 over Ethernet.
struct arp_eth {
  __be16 hrd, pro;
  __u8 hln, pln;
  __be16 op;
  __u8 sha[6], sip[4], tha[6], tip[4];
};

// The KIND_* bits of an address (0: not owned).
static __always_inline __u32 kind_v4(__be32 a) {
  struct owned_key k = {};
  __builtin_memcpy(k.addr, &a, 4);
  k.family = FAMILY_V4;
  __u32 *v = bpf_map_lookup_elem(&owned, &k);
  return v ? *v : 0;
}

static __always_inline __u32 kind_v6(const struct in6_addr *a) {
  struct owned_key k = {};
  __builtin_memcpy(k.addr, a, 16);
  k.family = FAMILY_V6;
  __u32 *v = bpf_map_lookup_elem(&owned, &k);
  return v ? *v : 0;
}

// Is (saddr, proto, sport) the endpoint of a NAT real server?  `k` holds the address.
static __always_inline int nat_endpoint(struct owned_key *k, __u8 proto, __be16 sport) {
  k->proto = proto;
  k->port = sport;
  __u32 *v = bpf_map_lookup_elem(&owned, k);
  if (v && (*v & KIND_NAT_REAL)) return 1;
  k->port = 0;
  v = bpf_map_lookup_elem(&owned, k);
  return v && (*v & KIND_NAT_REAL);
}

// The source port of a TCP/UDP header at l4 (0 when it is not there).
static __always_inline __be16 sport_at(void *l4, void *end) {
  __be16 *ports = l4;
  if ((void *)(ports + 2) > end) return 0;
  return ports[0];
}

static __always_inline int to_xsk(struct xdp_md *ctx) {
  return bpf_redirect_map(&xsks_map, ctx->rx_queue_index, XDP_PASS);
}

static __always_inline int steer_arp(struct xdp_md *ctx, void *p, void *end) {
  struct arp_eth *arp = p;
  if ((void *)(arp + 1) > end) return XDP_PASS;
  if (arp->hrd != bpf_htons(1) || arp->pro != bpf_htons(ETH_P_IP) || arp->hln != 6 ||
      arp->pln != 4 || arp->op != bpf_htons(1))
    return XDP_PASS;
  __be32 tip;
  __builtin_memcpy(&tip, arp->tip, 4);
  return (kind_v4(tip) & (KIND_VIP | KIND_LOCAL)) ? to_xsk(ctx) : XDP_PASS;
}

static __always_inline int steer_v4(struct xdp_md *ctx, void *p, void *end) {
  struct iphdr *ip = p;
  if ((void *)(ip + 1) > end || ip->version != 4 || ip->ihl < 5) return XDP_PASS;

  if (kind_v4(ip->daddr) & (KIND_VIP | KIND_LOCAL)) {
    if (ip->frag_off & bpf_htons(0x3fff)) return to_xsk(ctx);   // MF or offset: the daemon decides
    if (ip->protocol == IPPROTO_TCP || ip->protocol == IPPROTO_UDP || ip->protocol == IPPROTO_ICMP)
      return to_xsk(ctx);
    return XDP_PASS;
  }

  // NAT replies: from a NAT real server, to anyone but the host itself.
  if (ip->protocol != IPPROTO_TCP && ip->protocol != IPPROTO_UDP && ip->protocol != IPPROTO_ICMP)
    return XDP_PASS;
  if (!(kind_v4(ip->saddr) & KIND_NAT_REAL_ADDR) || (kind_v4(ip->daddr) & KIND_HOST)) return XDP_PASS;
  if (ip->frag_off & bpf_htons(0x1fff)) return to_xsk(ctx);   // later fragments: no ports
  void *l4 = p + ip->ihl * 4;
  if (ip->protocol == IPPROTO_ICMP) {
    __u8 *type = l4;
    if ((void *)(type + 1) > end) return XDP_PASS;
    if (*type != ICMP_DEST_UNREACH && *type != ICMP_TIME_EXCEEDED && *type != ICMP_PARAMETERPROB)
      return XDP_PASS;
    return to_xsk(ctx);
  }
  struct owned_key k = {};
  __builtin_memcpy(k.addr, &ip->saddr, 4);
  k.family = FAMILY_V4;
  return nat_endpoint(&k, ip->protocol, sport_at(l4, end)) ? to_xsk(ctx) : XDP_PASS;
}

// Extension headers skipped on the way to the upper-layer protocol.
static __always_inline int ipv6_ext(__u8 nh) {
  return nh == IPPROTO_HOPOPTS || nh == IPPROTO_ROUTING || nh == IPPROTO_DSTOPTS;
}

static __always_inline int steer_v6(struct xdp_md *ctx, void *p, void *end) {
  struct ipv6hdr *ip6 = p;
  if ((void *)(ip6 + 1) > end || ip6->version != 6) return XDP_PASS;

  // Up to 3 simple extension headers (hop-by-hop, routing, destination options).
  __u8 nh = ip6->nexthdr;
  void *l4 = ip6 + 1;
#pragma unroll
  for (int i = 0; i < 3; i++) {
    if (!ipv6_ext(nh)) break;
    __u8 *h = l4;
    if ((void *)(h + 2) > end) return XDP_PASS;
    nh = h[0];
    l4 += (h[1] + 1) * 8;
  }
  if (ipv6_ext(nh)) return XDP_PASS;   // more than we look through

  if (kind_v6(&ip6->daddr) & (KIND_VIP | KIND_LOCAL)) {
    if (nh == IPPROTO_FRAGMENT || nh == IPPROTO_TCP || nh == IPPROTO_UDP || nh == IPPROTO_ICMPV6)
      return to_xsk(ctx);
    return XDP_PASS;
  }

  if (nh != IPPROTO_TCP && nh != IPPROTO_UDP && nh != IPPROTO_ICMPV6) return XDP_PASS;
  struct icmp6hdr *ic = l4;
  if (nh == IPPROTO_ICMPV6) {
    if ((void *)(ic + 1) > end) return XDP_PASS;
    // Neighbour solicitation (to the solicited-node group) for a VIP or local address:
    // the target follows the 8-byte header.
    if (ic->icmp6_type == 135) {
      struct in6_addr *target = (void *)(ic + 1);
      if ((void *)(target + 1) > end) return XDP_PASS;
      return (kind_v6(target) & (KIND_VIP | KIND_LOCAL)) ? to_xsk(ctx) : XDP_PASS;
    }
    if (ic->icmp6_type >= 128) return XDP_PASS;   // informational: not a NAT reply
  }
  if (!(kind_v6(&ip6->saddr) & KIND_NAT_REAL_ADDR) || (kind_v6(&ip6->daddr) & KIND_HOST))
    return XDP_PASS;
  if (nh == IPPROTO_ICMPV6) return to_xsk(ctx);
  struct owned_key k = {};
  __builtin_memcpy(k.addr, &ip6->saddr, 16);
  k.family = FAMILY_V6;
  return nat_endpoint(&k, nh, sport_at(l4, end)) ? to_xsk(ctx) : XDP_PASS;
}

SEC("xdp")
int xdp_steer(struct xdp_md *ctx) {
  void *data = (void *)(long)ctx->data;
  void *end = (void *)(long)ctx->data_end;
  struct ethhdr *eth = data;
  if ((void *)(eth + 1) > end) return XDP_PASS;

  __be16 proto = eth->h_proto;
  void *p = eth + 1;
#pragma unroll
  for (int i = 0; i < 2; i++) {   // 802.1Q / 802.1ad tags
    if (proto != bpf_htons(ETH_P_8021Q) && proto != bpf_htons(ETH_P_8021AD)) break;
    struct vlan_hdr *v = p;
    if ((void *)(v + 1) > end) return XDP_PASS;
    proto = v->proto;
    p = v + 1;
  }

  if (proto == bpf_htons(ETH_P_IP)) return steer_v4(ctx, p, end);
  if (proto == bpf_htons(ETH_P_IPV6)) return steer_v6(ctx, p, end);
  if (proto == bpf_htons(ETH_P_ARP)) return steer_arp(ctx, p, end);
  return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
