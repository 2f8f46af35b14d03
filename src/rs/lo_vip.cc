// lo_vip.cc — RTM_NEWADDR / RTM_DELADDR / RTM_GETADDR on lo.
#include "rs/lo_vip.h"

#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sys/socket.h>

#include <cerrno>
#include <vector>

#include "rs/failure.h"

namespace ulvs::rs {
namespace {

unsigned lo_index() {
  unsigned i = if_nametoindex("lo");
  if (!i) throw Failure(errno_text("lo", errno));
  return i;
}

int af(const net::Addr& a) { return a.is_v4() ? AF_INET : AF_INET6; }
int host_prefix(const net::Addr& a) { return a.is_v4() ? 32 : 128; }

// One address message for lo: IFA_LOCAL and IFA_ADDRESS both the VIP.
nlmsghdr* address_msg(std::vector<char>& buf, uint16_t type, uint16_t flags, const net::Addr& vip) {
  nlmsghdr* nlh = mnl_nlmsg_put_header(buf.data());
  nlh->nlmsg_type = type;
  nlh->nlmsg_flags = NLM_F_REQUEST | flags;
  auto* ifa = static_cast<ifaddrmsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(ifaddrmsg)));
  ifa->ifa_family = uint8_t(af(vip));
  ifa->ifa_prefixlen = uint8_t(host_prefix(vip));
  ifa->ifa_scope = RT_SCOPE_UNIVERSE;
  ifa->ifa_index = lo_index();
  mnl_attr_put(nlh, IFA_LOCAL, size_t(vip.size()), vip.bytes.data());
  mnl_attr_put(nlh, IFA_ADDRESS, size_t(vip.size()), vip.bytes.data());
  return nlh;
}

bool is_loopback(const net::Addr& a) {
  if (a.is_v4()) return a.bytes[0] == 127;
  return a == *net::Addr::parse("::1");
}

// The attribute of type `type` in m (after a family header of `offset` bytes), or null.
const nlattr* find_attr(const nlmsghdr* m, size_t offset, uint16_t type) {
  struct Want {
    uint16_t type;
    const nlattr* found;
  } want{type, nullptr};
  mnl_attr_parse(m, unsigned(offset), [](const nlattr* a, void* data) {
    auto* w = static_cast<Want*>(data);
    if (mnl_attr_get_type(a) == w->type) w->found = a;
    return MNL_CB_OK;
  }, &want);
  return want.found;
}

}  // namespace

bool add_lo_vip(Netlink& nl, const net::Addr& vip) {
  std::vector<char> buf(MNL_SOCKET_BUFFER_SIZE);
  int err = nl.request(address_msg(buf, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, vip));
  if (err == -EEXIST) return false;
  if (err) throw Failure(errno_text("adding " + vip.str() + " to lo", err));
  return true;
}

bool del_lo_vip(Netlink& nl, const net::Addr& vip) {
  std::vector<char> buf(MNL_SOCKET_BUFFER_SIZE);
  int err = nl.request(address_msg(buf, RTM_DELADDR, 0, vip));
  if (err == -EADDRNOTAVAIL || err == -ENOENT) return false;
  if (err) throw Failure(errno_text("removing " + vip.str() + " from lo", err));
  return true;
}

std::vector<net::Addr> lo_vips(Netlink& nl) {
  unsigned lo = lo_index();
  std::vector<net::Addr> out;
  std::vector<char> buf(MNL_SOCKET_BUFFER_SIZE);
  nlmsghdr* nlh = mnl_nlmsg_put_header(buf.data());
  nlh->nlmsg_type = RTM_GETADDR;
  nlh->nlmsg_flags = NLM_F_REQUEST;
  auto* req = static_cast<ifaddrmsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(ifaddrmsg)));
  req->ifa_family = AF_UNSPEC;
  nl.dump(nlh, [&](const nlmsghdr* m) {
    auto* ifa = static_cast<const ifaddrmsg*>(mnl_nlmsg_get_payload(m));
    bool v4 = ifa->ifa_family == AF_INET;
    if (m->nlmsg_type != RTM_NEWADDR || ifa->ifa_index != lo) return;
    if (ifa->ifa_prefixlen != (v4 ? 32 : 128)) return;
    const nlattr* addr = find_attr(m, sizeof(ifaddrmsg), IFA_ADDRESS);
    if (!addr || mnl_attr_get_payload_len(addr) != (v4 ? 4u : 16u)) return;
    auto* p = static_cast<const uint8_t*>(mnl_attr_get_payload(addr));
    net::Addr a = v4 ? net::Addr::v4_bytes(p) : net::Addr::v6_bytes(p);
    if (!is_loopback(a)) out.push_back(a);
  });
  return out;
}

}  // namespace ulvs::rs
