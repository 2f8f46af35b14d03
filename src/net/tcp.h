// tcp.h — TCP header view (RFC 9293) and an iterator over its options.
//
//   auto tcp = net::TcpView::parse(ip->payload());
//   if (tcp->flags() & net::tcp_flag::SYN) mss = tcp->mss().value_or(536);
//   for (const net::TcpOption& o : tcp->options()) if (o.kind == 254) ...;   // TOA
//   tcp->set_dst_port(8080);
#pragma once

#include <cstdint>
#include <iterator>
#include <optional>
#include <span>

#include "net/wire.h"

namespace ulvs::net {

namespace tcp_flag {
inline constexpr uint8_t FIN = 0x01;
inline constexpr uint8_t SYN = 0x02;
inline constexpr uint8_t RST = 0x04;
inline constexpr uint8_t PSH = 0x08;
inline constexpr uint8_t ACK = 0x10;
inline constexpr uint8_t URG = 0x20;
inline constexpr uint8_t ECE = 0x40;
inline constexpr uint8_t CWR = 0x80;
}  // namespace tcp_flag

namespace tcp_opt {
inline constexpr uint8_t End = 0;
inline constexpr uint8_t Nop = 1;
inline constexpr uint8_t Mss = 2;
inline constexpr uint8_t WindowScale = 3;
inline constexpr uint8_t SackPermitted = 4;
inline constexpr uint8_t Sack = 5;
inline constexpr uint8_t Timestamp = 8;
inline constexpr uint8_t Toa = 254;  // client address for FULLNAT (see DESIGN.md)
}  // namespace tcp_opt

struct TcpOption {
  uint8_t kind = 0;
  uint8_t len = 0;              // whole option, kind and length bytes included (NOP: 1)
  uint32_t offset = 0;          // from the start of the options area
  std::span<uint8_t> value;     // the bytes after kind and length
};

// The options area as a range.  Iteration stops at End-of-list, at the end of the area, or at
// a malformed option (length < 2 or running past the area); malformed() tells the last case.
class TcpOptions {
 public:
  class Iterator {
   public:
    using value_type = TcpOption;
    using difference_type = std::ptrdiff_t;
    Iterator() = default;
    const TcpOption& operator*() const { return cur_; }
    const TcpOption* operator->() const { return &cur_; }
    Iterator& operator++() {
      pos_ += cur_.len;
      load();
      return *this;
    }
    Iterator operator++(int) {
      Iterator old = *this;
      ++*this;
      return old;
    }
    bool operator==(std::default_sentinel_t) const { return done_; }
    bool malformed() const { return malformed_; }

   private:
    friend class TcpOptions;
    explicit Iterator(std::span<uint8_t> raw) : raw_(raw) { load(); }
    void load() {
      if (pos_ >= raw_.size() || raw_[pos_] == tcp_opt::End) return finish(false);
      uint8_t kind = raw_[pos_];
      if (kind == tcp_opt::Nop) {
        cur_ = {kind, 1, uint32_t(pos_), {}};
        return;
      }
      if (pos_ + 2 > raw_.size()) return finish(true);
      uint8_t len = raw_[pos_ + 1];
      if (len < 2 || pos_ + len > raw_.size()) return finish(true);
      cur_ = {kind, len, uint32_t(pos_), raw_.subspan(pos_ + 2, len - 2u)};
    }
    void finish(bool malformed) {
      done_ = true;
      malformed_ = malformed;
    }

    std::span<uint8_t> raw_;
    size_t pos_ = 0;
    TcpOption cur_;
    bool done_ = false;
    bool malformed_ = false;
  };

  TcpOptions() = default;
  explicit TcpOptions(std::span<uint8_t> raw) : raw_(raw) {}
  Iterator begin() const { return Iterator(raw_); }
  std::default_sentinel_t end() const { return {}; }
  std::span<uint8_t> bytes() const { return raw_; }

  bool well_formed() const {
    auto it = begin();
    while (it != end()) ++it;
    return !it.malformed();
  }
  std::optional<TcpOption> find(uint8_t kind) const {
    for (const TcpOption& o : *this)
      if (o.kind == kind) return o;
    return std::nullopt;
  }
  std::optional<uint16_t> mss() const {
    auto o = find(tcp_opt::Mss);
    if (!o || o->len != 4) return std::nullopt;
    return load16(o->value.data());
  }

 private:
  std::span<uint8_t> raw_;
};

class TcpView {
 public:
  static constexpr size_t kMinHeaderLen = 20;

  // Data offset must be 5..15 words and inside the buffer.
  static Parsed<TcpView> parse(std::span<uint8_t> bytes) {
    if (bytes.size() < kMinHeaderLen) return ParseError::Truncated;
    size_t hl = size_t(bytes[12] >> 4) * 4;
    if (hl < kMinHeaderLen) return ParseError::BadHeaderLength;
    if (hl > bytes.size()) return ParseError::Truncated;
    return TcpView(bytes);
  }

  uint16_t src_port() const { return load16(&b_[0]); }
  uint16_t dst_port() const { return load16(&b_[2]); }
  uint32_t seq() const { return load32(&b_[4]); }
  uint32_t ack_seq() const { return load32(&b_[8]); }
  size_t header_len() const { return size_t(b_[12] >> 4) * 4; }
  uint8_t flags() const { return b_[13]; }
  bool has(uint8_t flag) const { return (b_[13] & flag) != 0; }
  uint16_t window() const { return load16(&b_[14]); }
  uint16_t checksum() const { return load16(&b_[16]); }
  uint16_t urgent_ptr() const { return load16(&b_[18]); }
  TcpOptions options() const { return TcpOptions(b_.subspan(kMinHeaderLen, header_len() - kMinHeaderLen)); }
  std::optional<uint16_t> mss() const { return options().mss(); }
  std::span<uint8_t> header() const { return b_.first(header_len()); }
  std::span<uint8_t> payload() const { return b_.subspan(header_len()); }
  std::span<uint8_t> bytes() const { return b_; }

  void set_src_port(uint16_t v) { store16(&b_[0], v); }
  void set_dst_port(uint16_t v) { store16(&b_[2], v); }
  void set_seq(uint32_t v) { store32(&b_[4], v); }
  void set_ack_seq(uint32_t v) { store32(&b_[8], v); }
  void set_flags(uint8_t v) { b_[13] = v; }
  void set_window(uint16_t v) { store16(&b_[14], v); }
  void set_checksum(uint16_t v) { store16(&b_[16], v); }
  void set_urgent_ptr(uint16_t v) { store16(&b_[18], v); }

 private:
  friend class Parsed<TcpView>;
  TcpView() = default;
  explicit TcpView(std::span<uint8_t> b) : b_(b) {}

  std::span<uint8_t> b_;
};

}  // namespace ulvs::net
