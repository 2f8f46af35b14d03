// captures.h — real frames for parser tests, so a builder bug cannot hide a parser bug.
// Sources: gopacket's layers/*_test.go (captured traffic; checksums verified by Wireshark).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "net/builder.h"

namespace ulvs::net::captures {

using Bytes = std::vector<uint8_t>;

// 172.17.81.73:50679 > 173.222.254.225:80, PSH|ACK, NOP NOP TS, "GET / HTTP/1.1 ..." (434 B).
// IPv4 checksum 0x555a, TCP checksum 0xabb1.
inline const char kHttpGetText[] =
    "GET / HTTP/1.1\r\nHost: www.fish.com\r\nConnection: keep-alive\r\nUser-Agent: Mozilla/5.0 "
    "(X11; Linux x86_64) AppleWebKit/535.2 (KHTML, like Gecko) Chrome/15.0.874.121 "
    "Safari/535.2\r\nAccept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    "\r\nAccept-Encoding: gzip,deflate,sdch\r\nAccept-Language: en-US,en;q=0.8\r\n"
    "Accept-Charset: ISO-8859-1,utf-8;q=0.7,*;q=0.3\r\n\r\n";
inline Bytes http_get() {
  Bytes b = from_hex(
      "0000 0c9f f020 bc30 5be8 d349 0800"                      // Ethernet
      "4500 01a4 39df 4000 4006 555a ac11 5149 adde fee1"       // IPv4
      "c5f7 0050 c57e 0e48 4907 4232 8018 0073 abb1 0000"       // TCP
      "0101 080a 0377 379c 4277 5e3a");                         // NOP NOP TS
  std::string text = kHttpGetText;
  b.insert(b.end(), text.begin(), text.end());
  return b;
}

// 172.17.81.197:99 > 172.17.81.73:39663 RST|ACK, 40-byte IP packet + 6 bytes Ethernet padding.
inline Bytes small_tcp_padded() {
  return from_hex(
      "bc30 5be8 d349 b8ac 6f92 d5bf 0800 4500 0028 0000 4000 4006 3f9f ac11 51c5 ac11"
      "5149 0063 9aef 0000 0000 2ec1 2783 5014 0000 c308 0000 0000 0000 0000");
}

// 802.1Q VLAN 503: 172.27.202.142:54282 > 69.22.148.226:80 ACK, padded.
inline Bytes vlan_tcp() {
  return from_hex(
      "0010 dbff 1000 0015 2c9d cc00 8100 01f7 0800 4500 0028 298d 4000 7d06 83a0 ac1b"
      "ca8e 4516 94e2 d40a 0050 dfab 9cc6 cd1e e5d1 5010 0100 5a74 0000 0000 0000 0000");
}

// 2620:0:1005:0:26be:5ff:fe27:b17 > fe80::21f:caff:feb3:7640 ICMPv6 neighbour advertisement,
// checksum 0x1ed6.
inline Bytes icmpv6_neighbor_advert() {
  return from_hex(
      "001f cab3 7640 24be 0527 0b17 86dd 6000 0000 0018 3aff 2620 0000 1005 0000 26be"
      "05ff fe27 0b17 fe80 0000 0000 0000 021f caff feb3 7640 8800 1ed6 4000 0000 2620"
      "0000 1005 0000 26be 05ff fe27 0b17");
}

// 172.29.20.15:9999 > 172.25.9.204:8888 SCTP INIT (IPv4 checksum 0xc422).
inline Bytes sctp_init() {
  return from_hex(
      "0000 0c9f f01f 24be 0527 0b17 0800 4502 0044 0000 4000 4084 c422 ac1d 140f ac19"
      "09cc 270f 22b8 0000 0000 196b 0b40 0100 0024 b696 b09e 0001 c000 000a ffff db85"
      "6023 000c 0006 0005 0000 8000 0004 c000 0004");
}

// Raw IPv6 (no Ethernet) 2001:db8::1 > 2001:db8::2: hop-by-hop (PadN), then no next header.
inline Bytes ipv6_hop_by_hop() {
  return from_hex(
      "6000 0000 0008 0040 2001 0db8 0000 0000 0000 0000 0000 0001 2001 0db8 0000 0000"
      "0000 0000 0000 0002 3b00 0104 0000 0000");
}

// The same with a destination-options header instead (tcpdump: "DSTOPT no next header").
inline Bytes ipv6_dst_opts() {
  return from_hex(
      "6000 0000 0008 3c40 2001 0db8 0000 0000 0000 0000 0000 0001 2001 0db8 0000 0000"
      "0000 0000 0000 0002 3b00 0104 0000 0000");
}

// "who has 192.168.1.1? tell 192.168.1.100", written out by hand.
inline Bytes arp_request() {
  return from_hex(
      "ffff ffff ffff 0011 2233 4455 0806"
      "0001 0800 0604 0001 0011 2233 4455 c0a8 0164 0000 0000 0000 c0a8 0101");
}

}  // namespace ulvs::net::captures
