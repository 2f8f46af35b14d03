// packet_buf.h — a frame inside a larger buffer, with headroom in front and tailroom behind,
// so that tunnel headers can be prepended and TOA / Proxy Protocol bytes inserted in place.
//
//   uint8_t mem[2048];                       // e.g. an AF_XDP umem chunk
//   xmit::PacketBuf buf{mem, sizeof mem, 256, frame_len};   // frame copied at mem + 256
//   buf.push_front(20);                      // 20 more bytes in front (an outer IP header)
//   buf.insert(54, 8);                       // opens 8 bytes at offset 54 (a TCP option)
//   net::parse_frame(buf.bytes());
//
// insert/erase move whichever side of the cut is shorter (headers are short, payloads long),
// so pointers into the frame are invalid after them; offsets before the cut stay valid.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>

namespace ulvs::xmit {

struct PacketBuf {
  uint8_t* base = nullptr;  // the whole buffer
  size_t cap = 0;           // its size
  size_t off = 0;           // where the frame starts
  size_t len = 0;           // frame length

  uint8_t* data() const { return base + off; }
  std::span<uint8_t> bytes() const { return {base + off, len}; }
  size_t headroom() const { return off; }
  size_t tailroom() const { return cap - off - len; }

  // Grows the frame by n bytes at the front (contents unspecified).
  bool push_front(size_t n) {
    if (n > headroom()) return false;
    off -= n;
    len += n;
    return true;
  }
  // Drops n bytes from the front.
  bool pull_front(size_t n) {
    if (n > len) return false;
    off += n;
    len -= n;
    return true;
  }
  // Cuts the frame to new_len bytes (e.g. Ethernet padding after the IP packet).
  bool trim(size_t new_len) {
    if (new_len > len) return false;
    len = new_len;
    return true;
  }
  // Opens n bytes (contents unspecified) at offset `at`.
  bool insert(size_t at, size_t n) {
    if (at > len) return false;
    bool head_fits = n <= headroom(), tail_fits = n <= tailroom();
    if (head_fits && (at <= len - at || !tail_fits)) {
      move(base + off - n, base + off, at);
      off -= n;
    } else if (tail_fits) {
      move(base + off + at + n, base + off + at, len - at);
    } else {
      return false;
    }
    len += n;
    return true;
  }
  // Removes n bytes at offset `at`.
  bool erase(size_t at, size_t n) {
    if (at > len || n > len - at) return false;
    if (at <= len - at - n) {
      move(base + off + n, base + off, at);
      off += n;
    } else {
      move(base + off + at, base + off + at + n, len - at - n);
    }
    len -= n;
    return true;
  }

 private:
  // memmove with a null pointer is undefined even for 0 bytes (an empty buffer has one).
  static void move(uint8_t* dst, const uint8_t* src, size_t n) {
    if (n) std::memmove(dst, src, n);
  }
};

}  // namespace ulvs::xmit
