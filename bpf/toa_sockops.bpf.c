// SPDX-License-Identifier: GPL-2.0
// toa_sockops.bpf.c — the FULLNAT real-server side of ulvs (ulvs-rs toa): reads the client
// address that the director puts in TCP option 254 (TOA, src/xmit/toa.h) of the handshake's
// final ACK, without the toa kernel module.
//
//   IPv4: kind 254, length 8:  port (2 bytes), address (4 bytes), network order
//   IPv6: kind 254, length 20: port (2 bytes), address (16 bytes)
//
// A sock_ops program on a cgroup v2: for every passively opened TCP connection of a socket
// created in that cgroup, BPF_SOCK_OPS_PASSIVE_ESTABLISHED_CB runs with skb_data..skb_data_end
// covering the TCP header of the ACK that completed the handshake.  The options are parsed
// here by hand: bpf_load_hdr_opt() cannot search kind 254 without knowing its RFC 6994
// "magic" (the first 2 or 4 bytes of the value), and for TOA those bytes are the client port.
//
// What it finds goes into `toa`, keyed by the connection as the server sees it (local
// address and port, remote = the director's address and port); `ulvs-rs toa show` lists it.
// The entry is removed when the connection closes (BPF_SOCK_OPS_STATE_CB, asked for per
// socket), so a later connection on the same 4-tuple never inherits a stale client; the LRU
// map bounds what a lost close could leave behind.
#include <linux/bpf.h>

#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#define AF_INET 2
#define AF_INET6 10
#define TCPOPT_EOL 0
#define TCPOPT_NOP 1
#define TCPOPT_TOA 254
#define TOA_LEN_V4 8
#define TOA_LEN_V6 20
#define TCP_HLEN 20          // without options
#define TCP_MAX_OPT_LEN 40   // data offset 15 words, minus the fixed header
// The options are copied to a stack buffer and read there at offsets masked with OPT_MASK:
// the verifier then sees every read, up to the 20 bytes of an IPv6 TOA, inside the buffer
// (the masks change nothing: offsets are checked against the options' length first).
#define OPT_MASK 63
#define OPT_BUF (OPT_MASK + 1 + TOA_LEN_V6)

// Addresses are 16 bytes: IPv6 as is, IPv4 as IPv4-mapped (::ffff:a.b.c.d), the same form for
// an AF_INET socket and an AF_INET6 one that carries IPv4.  Ports in network order.
struct toa_key {
  __u8 local_addr[16];
  __u8 remote_addr[16];
  __be16 local_port;
  __be16 remote_port;
};

struct toa_val {
  __u8 client_addr[16];  // as in the key: IPv4 mapped
  __be16 client_port;
  __u16 pad;
};

struct {
  __uint(type, BPF_MAP_TYPE_LRU_HASH);
  __uint(max_entries, 65536);
  __type(key, struct toa_key);
  __type(value, struct toa_val);
} toa SEC(".maps");

static __always_inline void mapped_v4(__u8 *dst, __u32 addr_be) {
  __builtin_memset(dst, 0, 10);
  dst[10] = dst[11] = 0xff;
  __builtin_memcpy(dst + 12, &addr_be, 4);
}

// The connection's key; 0 if the socket is neither IPv4 nor IPv6.
static __always_inline int make_key(struct bpf_sock_ops *skops, struct toa_key *k) {
  if (skops->family == AF_INET) {
    mapped_v4(k->local_addr, skops->local_ip4);
    mapped_v4(k->remote_addr, skops->remote_ip4);
  } else if (skops->family == AF_INET6) {
    // One 4-byte load per word (volatile): the context allows no wider access, and clang
    // would otherwise merge neighbouring loads into 8-byte ones.
    for (int i = 0; i < 4; i++) {
      __u32 l = *(volatile __u32 *)&skops->local_ip6[i], r = *(volatile __u32 *)&skops->remote_ip6[i];
      __builtin_memcpy(k->local_addr + 4 * i, &l, 4);
      __builtin_memcpy(k->remote_addr + 4 * i, &r, 4);
    }
  } else {
    return 0;
  }
  // The context has local_port in host order and remote_port in network order (in the high
  // half of the word on little-endian machines): both become network-order 16-bit ports.
  k->local_port = bpf_htons((__u16)skops->local_port);
  k->remote_port = bpf_htons((__u16)bpf_ntohl(skops->remote_port));
  return 1;
}

// Copies the options of the TCP header at [data, end) to `opts` (zero-filled past them) and
// returns their length, 0..40.
static __always_inline __u32 copy_options(void *data, void *end, __u8 *opts) {
  __u8 *th = data;
  if ((void *)(th + TCP_HLEN) > end) return 0;
  __u32 doff = (th[12] >> 4) * 4;  // data offset, in bytes
  if (doff <= TCP_HLEN) return 0;
  __u32 len = doff - TCP_HLEN;     // ≤ 40 (doff ≤ 60)
  __u8 *o = th + TCP_HLEN;
  for (__u32 i = 0; i < TCP_MAX_OPT_LEN; i++) {
    if (i >= len || (void *)(o + i + 1) > end) return i;
    opts[i] = o[i];
  }
  return len;
}

// Finds a well-formed TOA option in opts[0, len).  Fills `v` and returns 1 if there is one.
static __always_inline int find_toa(const __u8 *opts, __u32 len, struct toa_val *v) {
  __u32 off = 0;
  for (int n = 0; n < TCP_MAX_OPT_LEN; n++) {  // every step consumes at least a byte
    if (off >= len || off >= TCP_MAX_OPT_LEN - 1) return 0;
    asm volatile("%0 &= %1" : "+r"(off) : "i"(OPT_MASK));  // in asm: clang would drop it
    __u8 kind = opts[off];
    if (kind == TCPOPT_EOL) return 0;
    if (kind == TCPOPT_NOP) {
      off++;
      continue;
    }
    __u8 olen = opts[off + 1];
    if (olen < 2 || off + olen > len) return 0;  // malformed: trust nothing after it
    if (kind == TCPOPT_TOA && olen == TOA_LEN_V4) {  // off + 8 ≤ len: inside the options
      __builtin_memcpy(&v->client_port, &opts[off + 2], 2);
      __u32 a;
      __builtin_memcpy(&a, &opts[off + 4], 4);
      mapped_v4(v->client_addr, a);
      return 1;
    }
    if (kind == TCPOPT_TOA && olen == TOA_LEN_V6) {
      __builtin_memcpy(&v->client_port, &opts[off + 2], 2);
      __builtin_memcpy(v->client_addr, &opts[off + 4], 16);
      return 1;
    }
    off += olen;
  }
  return 0;
}

SEC("sockops")
int ulvs_toa(struct bpf_sock_ops *skops) {
  struct toa_key key = {};
  switch (skops->op) {
    case BPF_SOCK_OPS_PASSIVE_ESTABLISHED_CB: {
      if (!make_key(skops, &key)) break;
      __u8 opts[OPT_BUF] = {};
      struct toa_val val = {};
      __u32 len = copy_options((void *)(long)skops->skb_data, (void *)(long)skops->skb_data_end, opts);
      if (!find_toa(opts, len, &val)) {
        bpf_map_delete_elem(&toa, &key);  // a stale entry of an earlier connection
        break;
      }
      bpf_map_update_elem(&toa, &key, &val, BPF_ANY);
      // Be called on state changes of this socket, to forget the entry when it closes.
      bpf_sock_ops_cb_flags_set(skops, skops->bpf_sock_ops_cb_flags | BPF_SOCK_OPS_STATE_CB_FLAG);
      break;
    }
    case BPF_SOCK_OPS_STATE_CB:
      if (skops->args[1] == BPF_TCP_CLOSE && make_key(skops, &key)) bpf_map_delete_elem(&toa, &key);
      break;
  }
  return 1;
}

char LICENSE[] SEC("license") = "GPL";
