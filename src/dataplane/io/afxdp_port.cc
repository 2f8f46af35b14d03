// afxdp_port.cc — the AF_XDP backend of Port: one XSK socket on one RX queue, with its own
// UMEM (2 x ring_size frames of 4 KiB, at least 4096): ring_size frames live in the fill/RX
// rings, the rest are a stack of free TX frames refilled from the completion ring.  The XDP
// program that steers frames to the socket is shared by the interface's ports
// (steer_program.h); the socket is created with XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD and put
// into the program's xsks_map at index `queue`.
#include <linux/if_xdp.h>
#include <net/if.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <xdp/xsk.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "dataplane/io/port.h"
#include "dataplane/io/steer_program.h"

namespace ulvs::dataplane {
namespace {

constexpr uint32_t kFrameSize = XSK_UMEM__DEFAULT_FRAME_SIZE;
constexpr uint64_t kFrameMask = ~uint64_t{kFrameSize - 1};
// Copy mode sends at most 32 descriptors per sendto() (the kernel then says EAGAIN).
constexpr uint32_t kCopyTxBudget = 32;

class AfXdpPort final : public Port {
 public:
  static std::unique_ptr<Port> open(const PortConfig& cfg, std::string& err);
  ~AfXdpPort() override;

  const std::string& ifname() const override { return ifname_; }
  uint32_t ifindex() const override { return ifindex_; }
  uint32_t queue() const override { return queue_; }
  int fd() const override { return xsk_socket__fd(xsk_); }
  size_t receive(size_t max,
                 const std::function<void(std::span<const uint8_t>)>& on_frame) override;
  bool send(std::span<const uint8_t> frame) override;
  void flush() override;
  void to_kernel(std::span<const uint8_t>) override { ++stats_.kernel_lost; }
  void set_owned(const Owned& owned) override;
  PortStats stats() const override;

 private:
  AfXdpPort() = default;
  bool create_socket(uint16_t bind_flags, std::string& err);
  void destroy_socket();
  void reclaim_tx();
  void kick_tx();

  std::string ifname_;
  uint32_t ifindex_ = 0, queue_ = 0;
  uint32_t ring_size_ = 0, nframes_ = 0;
  bool need_wakeup_ = true;
  std::shared_ptr<SteerProgram> prog_;
  bool in_map_ = false;

  void* area_ = nullptr;          // the UMEM: nframes_ * kFrameSize bytes
  size_t area_size_ = 0;
  xsk_umem* umem_ = nullptr;
  xsk_socket* xsk_ = nullptr;
  xsk_ring_prod fq_{}, tx_{};
  xsk_ring_cons cq_{}, rx_{};

  std::vector<uint64_t> free_;      // UMEM frames free for TX
  std::vector<uint64_t> scratch_;   // frames released by receive(), back to the fill ring
  uint32_t tx_queued_ = 0;          // reserved TX descriptors not yet submitted
  uint32_t tx_outstanding_ = 0;     // submitted, not yet completed

  PortStats stats_;
  std::string owned_err_;           // last set_owned() failure (reported once)
};

std::unique_ptr<Port> AfXdpPort::open(const PortConfig& cfg, std::string& err) {
  std::string where = cfg.ifname + " queue " + std::to_string(cfg.queue);
  if (cfg.ring_size < 64 || (cfg.ring_size & (cfg.ring_size - 1)) != 0) {
    err = where + ": AF_XDP ring_size must be a power of two >= 64";
    return nullptr;
  }
  std::unique_ptr<AfXdpPort> p(new AfXdpPort);
  p->ifname_ = cfg.ifname;
  p->queue_ = cfg.queue;
  p->ring_size_ = cfg.ring_size;
  p->nframes_ = std::max<uint32_t>(4096, 2 * cfg.ring_size);
  p->need_wakeup_ = !cfg.busy_poll;
  p->ifindex_ = if_nametoindex(cfg.ifname.c_str());
  if (p->ifindex_ == 0) {
    err = cfg.ifname + ": " + strerror(errno);
    return nullptr;
  }

  p->prog_ = SteerProgram::acquire(cfg.ifname, p->ifindex_, err);
  if (!p->prog_) return nullptr;

  p->area_size_ = size_t{p->nframes_} * kFrameSize;
  void* area = mmap(nullptr, p->area_size_, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
  if (area == MAP_FAILED) {
    err = where + ": UMEM mmap: " + strerror(errno);
    return nullptr;
  }
  p->area_ = area;

  // Zero-copy when asked and the driver can; copy mode otherwise.
  uint16_t flags = p->need_wakeup_ ? XDP_USE_NEED_WAKEUP : 0;
  std::string zc_err;
  if (cfg.zero_copy && !p->create_socket(flags | XDP_ZEROCOPY, zc_err)) {
    fprintf(stderr, "ulvsd: %s: zero-copy refused (%s), using copy mode\n", where.c_str(),
            zc_err.c_str());
    p->destroy_socket();
  }
  if (!p->xsk_ && !p->create_socket(flags | XDP_COPY, err)) {
    err = where + ": " + err;
    return nullptr;
  }

  // The fill ring gets ring_size frames; the rest are for TX.
  uint32_t idx = 0;
  if (xsk_ring_prod__reserve(&p->fq_, p->ring_size_, &idx) != p->ring_size_) {
    err = where + ": cannot fill the fill ring";
    return nullptr;
  }
  for (uint32_t i = 0; i < p->ring_size_; i++)
    *xsk_ring_prod__fill_addr(&p->fq_, idx + i) = uint64_t{i} * kFrameSize;
  xsk_ring_prod__submit(&p->fq_, p->ring_size_);
  p->free_.reserve(p->nframes_);
  for (uint32_t i = p->nframes_; i-- > p->ring_size_;) p->free_.push_back(uint64_t{i} * kFrameSize);
  p->scratch_.resize(p->ring_size_);

  xdp_options opts{};
  socklen_t optlen = sizeof opts;
  bool zc = getsockopt(p->fd(), SOL_XDP, XDP_OPTIONS, &opts, &optlen) == 0 &&
            (opts.flags & XDP_OPTIONS_ZEROCOPY);
  fprintf(stderr, "ulvsd: %s: AF_XDP socket, XDP %s mode, %s\n", where.c_str(),
          p->prog_->native() ? "native" : "skb (generic)", zc ? "zero-copy" : "copy");

  if (!p->prog_->add_socket(p->queue_, p->fd(), err)) {
    err = where + ": " + err;
    return nullptr;
  }
  p->in_map_ = true;
  return p;
}

bool AfXdpPort::create_socket(uint16_t bind_flags, std::string& err) {
  xsk_umem_config ucfg{};
  ucfg.fill_size = ring_size_;
  ucfg.comp_size = ring_size_;
  ucfg.frame_size = kFrameSize;
  ucfg.frame_headroom = XSK_UMEM__DEFAULT_FRAME_HEADROOM;
  ucfg.flags = XSK_UMEM__DEFAULT_FLAGS;
  if (int rc = xsk_umem__create(&umem_, area_, area_size_, &fq_, &cq_, &ucfg); rc != 0) {
    umem_ = nullptr;
    err = std::string("xsk_umem__create: ") + strerror(-rc);
    return false;
  }
  xsk_socket_config scfg{};
  scfg.rx_size = ring_size_;
  scfg.tx_size = ring_size_;
  scfg.libxdp_flags = XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD;   // our program, our xsks_map
  scfg.bind_flags = bind_flags;
  if (int rc = xsk_socket__create(&xsk_, ifname_.c_str(), queue_, umem_, &rx_, &tx_, &scfg);
      rc != 0) {
    xsk_ = nullptr;
    err = std::string("xsk_socket__create: ") + strerror(-rc);
    return false;
  }
  return true;
}

// A failed socket leaves the UMEM's fill/completion rings unusable: start again from scratch.
void AfXdpPort::destroy_socket() {
  if (xsk_) xsk_socket__delete(xsk_);
  xsk_ = nullptr;
  if (umem_) xsk_umem__delete(umem_);
  umem_ = nullptr;
  fq_ = {};
  tx_ = {};
  cq_ = {};
  rx_ = {};
}

AfXdpPort::~AfXdpPort() {
  if (in_map_) prog_->remove_socket(queue_);
  destroy_socket();
  if (area_) munmap(area_, area_size_);
  prog_.reset();   // the last port of the interface detaches the program
}

size_t AfXdpPort::receive(size_t max,
                          const std::function<void(std::span<const uint8_t>)>& on_frame) {
  uint32_t idx = 0;
  auto want = static_cast<uint32_t>(std::min<size_t>(max, ring_size_));
  uint32_t n = xsk_ring_cons__peek(&rx_, want, &idx);
  if (n == 0) {
    // Nothing: with need_wakeup the kernel may be waiting for us to say the fill ring is fed.
    if (need_wakeup_ && xsk_ring_prod__needs_wakeup(&fq_))
      recvfrom(fd(), nullptr, 0, MSG_DONTWAIT, nullptr, nullptr);
    return 0;
  }
  for (uint32_t i = 0; i < n; i++) {
    const xdp_desc* d = xsk_ring_cons__rx_desc(&rx_, idx + i);
    on_frame({static_cast<const uint8_t*>(xsk_umem__get_data(area_, d->addr)), d->len});
    scratch_[i] = d->addr & kFrameMask;
  }
  xsk_ring_cons__release(&rx_, n);
  stats_.rx += n;

  // The frames go back to the fill ring (it has room: they came out of it).
  uint32_t fidx = 0;
  uint32_t got = xsk_ring_prod__reserve(&fq_, n, &fidx);
  for (uint32_t i = 0; i < got; i++) *xsk_ring_prod__fill_addr(&fq_, fidx + i) = scratch_[i];
  xsk_ring_prod__submit(&fq_, got);
  for (uint32_t i = got; i < n; i++) free_.push_back(scratch_[i]);
  return n;
}

void AfXdpPort::reclaim_tx() {
  uint32_t idx = 0;
  uint32_t n = xsk_ring_cons__peek(&cq_, ring_size_, &idx);
  for (uint32_t i = 0; i < n; i++)
    free_.push_back(*xsk_ring_cons__comp_addr(&cq_, idx + i) & kFrameMask);
  xsk_ring_cons__release(&cq_, n);
  tx_outstanding_ -= std::min(tx_outstanding_, n);
}

bool AfXdpPort::send(std::span<const uint8_t> frame) {
  if (frame.empty() || frame.size() > kFrameSize) {
    ++stats_.tx_dropped;
    return false;
  }
  if (free_.empty()) reclaim_tx();
  uint32_t idx = 0;
  if (free_.empty() || xsk_ring_prod__reserve(&tx_, 1, &idx) != 1) {
    ++stats_.tx_dropped;
    return false;
  }
  uint64_t addr = free_.back();
  free_.pop_back();
  std::memcpy(xsk_umem__get_data(area_, addr), frame.data(), frame.size());
  xdp_desc* d = xsk_ring_prod__tx_desc(&tx_, idx);
  d->addr = addr;
  d->len = static_cast<uint32_t>(frame.size());
  d->options = 0;
  ++tx_queued_;
  ++stats_.tx;
  return true;
}

// sendto() makes the kernel transmit (copy mode: at most kCopyTxBudget frames per call, then
// EAGAIN; zero-copy: it wakes the driver).  Transient errors are retried by the next flush.
void AfXdpPort::kick_tx() {
  uint32_t tries = tx_outstanding_ / kCopyTxBudget + 1;
  while (tries-- > 0) {
    if (sendto(fd(), nullptr, 0, MSG_DONTWAIT, nullptr, 0) >= 0) return;
    if (errno != EAGAIN) return;   // ENOBUFS, EBUSY, ENETDOWN: later
    reclaim_tx();
  }
}

void AfXdpPort::flush() {
  if (tx_queued_) {
    xsk_ring_prod__submit(&tx_, tx_queued_);
    tx_outstanding_ += tx_queued_;
    tx_queued_ = 0;
  }
  if (tx_outstanding_ && (!need_wakeup_ || xsk_ring_prod__needs_wakeup(&tx_))) kick_tx();
  reclaim_tx();
}

void AfXdpPort::set_owned(const Owned& owned) {
  std::string err;
  if (!prog_->set_owned(owned, err)) {
    if (err != owned_err_) fprintf(stderr, "ulvsd: %s: %s\n", ifname_.c_str(), err.c_str());
  }
  owned_err_ = err;
}

PortStats AfXdpPort::stats() const {
  PortStats s = stats_;
  xdp_statistics xs{};
  socklen_t len = sizeof xs;
  if (getsockopt(fd(), SOL_XDP, XDP_STATISTICS, &xs, &len) == 0) {
    s.rx_dropped += xs.rx_dropped + xs.rx_ring_full;
    s.tx_dropped += xs.tx_invalid_descs;
  }
  return s;
}

}  // namespace

std::unique_ptr<Port> open_afxdp_port(const PortConfig& cfg, std::string& err) {
  return AfXdpPort::open(cfg, err);
}

}  // namespace ulvs::dataplane
