// netlink.cc — libmnl request/ack and dump loops.
#include "rs/netlink.h"

#include <libmnl/libmnl.h>
#include <linux/netlink.h>
#include <net/if.h>

#include <cerrno>
#include <ctime>
#include <vector>

#include "rs/failure.h"

namespace ulvs::rs {

Netlink::Netlink() {
  sock_ = mnl_socket_open(NETLINK_ROUTE);
  if (!sock_) throw Failure(errno_text("netlink socket", errno));
  if (mnl_socket_bind(sock_, 0, MNL_SOCKET_AUTOPID) < 0) {
    int err = errno;
    mnl_socket_close(sock_);
    throw Failure(errno_text("netlink bind", err));
  }
  portid_ = mnl_socket_get_portid(sock_);
  seq_ = unsigned(time(nullptr));
}

Netlink::~Netlink() { mnl_socket_close(sock_); }

void Netlink::send(nlmsghdr* nlh) {
  nlh->nlmsg_seq = ++seq_;
  if (mnl_socket_sendto(sock_, nlh, nlh->nlmsg_len) < 0) throw Failure(errno_text("netlink send", errno));
}

int Netlink::request(nlmsghdr* nlh) {
  nlh->nlmsg_flags |= NLM_F_ACK;
  send(nlh);
  std::vector<char> buf(MNL_SOCKET_BUFFER_SIZE);
  for (;;) {
    ssize_t n = mnl_socket_recvfrom(sock_, buf.data(), buf.size());
    if (n < 0) return -errno;
    int r = mnl_cb_run(buf.data(), size_t(n), seq_, portid_, nullptr, nullptr);
    if (r < 0) return -errno;  // the ack carried an error
    if (r == MNL_CB_STOP) return 0;
  }
}

namespace {
int call_each(const nlmsghdr* m, void* data) {
  (*static_cast<const std::function<void(const nlmsghdr*)>*>(data))(m);
  return MNL_CB_OK;
}
}  // namespace

void Netlink::dump(nlmsghdr* nlh, const std::function<void(const nlmsghdr*)>& each) {
  nlh->nlmsg_flags |= NLM_F_DUMP;
  send(nlh);
  std::vector<char> buf(MNL_SOCKET_BUFFER_SIZE);
  for (;;) {
    ssize_t n = mnl_socket_recvfrom(sock_, buf.data(), buf.size());
    if (n < 0) throw Failure(errno_text("netlink receive", errno));
    int r = mnl_cb_run(buf.data(), size_t(n), seq_, portid_, call_each, const_cast<void*>(static_cast<const void*>(&each)));
    if (r < 0) throw Failure(errno_text("netlink dump", errno));
    if (r == MNL_CB_STOP) return;
  }
}

int ifindex_of(const std::string& dev) {
  unsigned i = if_nametoindex(dev.c_str());
  if (!i) throw Failure(errno_text("interface " + dev, errno));
  return int(i);
}

}  // namespace ulvs::rs
