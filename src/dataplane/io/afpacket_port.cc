// afpacket_port.cc — the fallback backend: an AF_PACKET socket with a TPACKET_V3 RX ring
// (the kernel fills blocks of frames, we walk them without a syscall per frame) and batched
// transmission with sendmmsg().
//
// AF_PACKET is a tap: the kernel's own stack receives every frame too.  That is what makes
// ToKernel free here, and it is why the director must not forward in the kernel
// (net.ipv4.ip_forward=0, IPv6 forwarding 0): frames to a VIP would otherwise leave twice.
// ulvsd checks this at start-up.  Frames we send are not looped back to our ring
// (PACKET_IGNORE_OUTGOING); several ports on one interface share the frames by flow hash
// (PACKET_FANOUT).  Frames whose checksum the sender left to the hardware
// (TP_STATUS_CSUMNOTREADY, veth with offload on) are finished before anyone reads them.
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "dataplane/io/port.h"
#include "net/partial_csum.h"

#ifndef PACKET_IGNORE_OUTGOING
#define PACKET_IGNORE_OUTGOING 23
#endif

namespace ulvs::dataplane {

namespace {

constexpr uint32_t kBlockSize = 1 << 20;   // 1 MiB per block
constexpr uint32_t kFrameSize = 1 << 11;   // the ring's nominal frame size (V3 packs tighter)
constexpr uint32_t kBlockTimeoutMs = 1;    // a partly filled block is handed over after 1 ms
constexpr size_t kTxBatch = 64;
constexpr size_t kTxFrameMax = 16384;

std::string errno_str(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

class AfPacketPort final : public Port {
 public:
  ~AfPacketPort() override {
    if (ring_ != MAP_FAILED) munmap(ring_, ring_len_);
    if (fd_ >= 0) close(fd_);
  }

  bool open(const PortConfig& cfg, std::string& err) {
    name_ = cfg.ifname;
    queue_ = cfg.queue;  // AF_PACKET reads every queue; the fanout group splits the frames
    index_ = if_nametoindex(cfg.ifname.c_str());
    if (!index_) return fail(err, errno_str(("interface " + cfg.ifname).c_str()));
    fd_ = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
    if (fd_ < 0) return fail(err, errno_str("socket(AF_PACKET)"));
    int v3 = TPACKET_V3, one = 1;
    if (setsockopt(fd_, SOL_PACKET, PACKET_VERSION, &v3, sizeof v3) < 0)
      return fail(err, errno_str("PACKET_VERSION"));
    // Our own transmissions must not come back to the ring (kernel >= 4.20).
    if (setsockopt(fd_, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof one) < 0)
      return fail(err, errno_str("PACKET_IGNORE_OUTGOING"));
    // Straight to the driver: the director's frames need no qdisc.
    setsockopt(fd_, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof one);
    if (!map_ring(cfg, err)) return false;
    sockaddr_ll sll{};
    sll.sll_family = AF_PACKET;
    sll.sll_protocol = htons(ETH_P_ALL);
    sll.sll_ifindex = int(index_);
    if (bind(fd_, reinterpret_cast<sockaddr*>(&sll), sizeof sll) < 0) return fail(err, errno_str("bind"));
    // One fanout group per interface: ports of the same interface split the frames by flow.
    int fanout = int((index_ & 0xffff) | (PACKET_FANOUT_HASH << 16));
    if (setsockopt(fd_, SOL_PACKET, PACKET_FANOUT, &fanout, sizeof fanout) < 0)
      return fail(err, errno_str("PACKET_FANOUT"));
    tx_frames_.resize(kTxBatch * kTxFrameMax);
    tx_lens_.resize(kTxBatch);
    return true;
  }

  const std::string& ifname() const override { return name_; }
  uint32_t ifindex() const override { return index_; }
  uint32_t queue() const override { return queue_; }
  int fd() const override { return fd_; }

  size_t receive(size_t max, const std::function<void(std::span<const uint8_t>)>& on_frame) override {
    size_t n = 0;
    while (n < max) {
      if (!pkt_) {
        auto* bd = block(cur_);
        if (!(__atomic_load_n(&bd->hdr.bh1.block_status, __ATOMIC_ACQUIRE) & TP_STATUS_USER)) break;
        left_ = bd->hdr.bh1.num_pkts;
        pkt_ = reinterpret_cast<uint8_t*>(bd) + bd->hdr.bh1.offset_to_first_pkt;
        if (left_ == 0) {
          retire();
          continue;
        }
      }
      auto* h = reinterpret_cast<tpacket3_hdr*>(pkt_);
      std::span<uint8_t> frame(pkt_ + h->tp_mac, h->tp_snaplen);
      if (h->tp_snaplen < h->tp_len) {
        ++stats_.oversize;  // truncated by the ring: never forward half a frame
      } else {
        if (h->tp_status & TP_STATUS_CSUMNOTREADY) net::complete_partial_checksum(frame);
        ++stats_.rx;
        on_frame(frame);
        ++n;
      }
      pkt_ = --left_ ? pkt_ + h->tp_next_offset : nullptr;
      if (!pkt_) retire();
    }
    return n;
  }

  bool send(std::span<const uint8_t> frame) override {
    if (frame.size() > kTxFrameMax) {
      ++stats_.tx_dropped;
      return false;
    }
    if (tx_count_ == kTxBatch) flush();
    std::memcpy(&tx_frames_[tx_count_ * kTxFrameMax], frame.data(), frame.size());
    tx_lens_[tx_count_++] = frame.size();
    return true;
  }

  void flush() override {
    if (!tx_count_) return;
    mmsghdr msgs[kTxBatch];
    iovec iov[kTxBatch];
    for (size_t i = 0; i < tx_count_; ++i) {
      iov[i] = {&tx_frames_[i * kTxFrameMax], tx_lens_[i]};
      msgs[i] = {};
      msgs[i].msg_hdr.msg_iov = &iov[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
    }
    size_t done = 0;
    while (done < tx_count_) {
      int r = sendmmsg(fd_, msgs + done, unsigned(tx_count_ - done), MSG_DONTWAIT);
      if (r <= 0) {
        if (r < 0 && errno == EINTR) continue;
        // ENOBUFS/EAGAIN (queue full), EMSGSIZE (bigger than the MTU): count and skip it.
        ++stats_.tx_dropped;
        ++done;
        continue;
      }
      stats_.tx += unsigned(r);
      done += unsigned(r);
    }
    tx_count_ = 0;
  }

  void to_kernel(std::span<const uint8_t>) override {}  // the kernel has its own copy

  PortStats stats() const override {
    tpacket_stats_v3 st{};
    socklen_t len = sizeof st;
    // Reading resets the kernel's counters, so they are accumulated here.
    if (getsockopt(fd_, SOL_PACKET, PACKET_STATISTICS, &st, &len) == 0) kernel_drops_ += st.tp_drops;
    PortStats s = stats_;
    s.rx_dropped = kernel_drops_;
    return s;
  }

 private:
  bool fail(std::string& err, std::string msg) {
    err = "AF_PACKET " + name_ + ": " + std::move(msg);
    return false;
  }

  bool map_ring(const PortConfig& cfg, std::string& err) {
    tpacket_req3 req{};
    req.tp_block_size = kBlockSize;
    // ring_size frames of kFrameSize, rounded up to whole blocks, at least 4 blocks.
    uint32_t blocks = (cfg.ring_size * kFrameSize + kBlockSize - 1) / kBlockSize;
    req.tp_block_nr = blocks < 4 ? 4 : blocks;
    req.tp_frame_size = kFrameSize;
    req.tp_frame_nr = req.tp_block_nr * (kBlockSize / kFrameSize);
    req.tp_retire_blk_tov = kBlockTimeoutMs;
    if (setsockopt(fd_, SOL_PACKET, PACKET_RX_RING, &req, sizeof req) < 0)
      return fail(err, errno_str("PACKET_RX_RING"));
    ring_len_ = size_t(req.tp_block_nr) * req.tp_block_size;
    ring_ = mmap(nullptr, ring_len_, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_LOCKED, fd_, 0);
    if (ring_ == MAP_FAILED) ring_ = mmap(nullptr, ring_len_, PROT_READ | PROT_WRITE, MAP_SHARED, fd_, 0);
    if (ring_ == MAP_FAILED) return fail(err, errno_str("mmap"));
    blocks_ = req.tp_block_nr;
    return true;
  }

  tpacket_block_desc* block(uint32_t i) const {
    return reinterpret_cast<tpacket_block_desc*>(static_cast<uint8_t*>(ring_) + size_t(i) * kBlockSize);
  }

  // Gives the current block back to the kernel and moves to the next.
  void retire() {
    __atomic_store_n(&block(cur_)->hdr.bh1.block_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
    cur_ = (cur_ + 1) % blocks_;
    pkt_ = nullptr;
  }

  std::string name_;
  uint32_t index_ = 0, queue_ = 0;
  int fd_ = -1;
  void* ring_ = MAP_FAILED;
  size_t ring_len_ = 0;
  uint32_t blocks_ = 0, cur_ = 0, left_ = 0;
  uint8_t* pkt_ = nullptr;  // next frame in the current block, nullptr between blocks
  std::vector<uint8_t> tx_frames_;
  std::vector<size_t> tx_lens_;
  size_t tx_count_ = 0;
  PortStats stats_;
  mutable uint64_t kernel_drops_ = 0;
};

}  // namespace

std::unique_ptr<Port> open_afpacket_port(const PortConfig& cfg, std::string& err) {
  auto p = std::make_unique<AfPacketPort>();
  if (!p->open(cfg, err)) return nullptr;
  return p;
}

}  // namespace ulvs::dataplane
