// clsact.cc — libbpf's tc hook for the qdisc, an RTM_GETTFILTER dump to see whether it is in use.
#include "rs/clsact.h"

#include <bpf/libbpf.h>
#include <libmnl/libmnl.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>

#include <cerrno>
#include <vector>

#include "rs/failure.h"
#include "rs/libbpf_log.h"

namespace ulvs::rs {
namespace {

// Filters attached under clsact's ingress or egress parent.
int count_filters(Netlink& nl, int ifindex, uint32_t parent_minor) {
  std::vector<char> buf(MNL_SOCKET_BUFFER_SIZE);
  nlmsghdr* nlh = mnl_nlmsg_put_header(buf.data());
  nlh->nlmsg_type = RTM_GETTFILTER;
  nlh->nlmsg_flags = NLM_F_REQUEST;
  auto* tc = static_cast<tcmsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(tcmsg)));
  tc->tcm_family = AF_UNSPEC;
  tc->tcm_ifindex = ifindex;
  tc->tcm_parent = TC_H_MAKE(TC_H_CLSACT, parent_minor);
  int n = 0;
  nl.dump(nlh, [&](const nlmsghdr* m) { n += m->nlmsg_type == RTM_NEWTFILTER; });
  return n;
}

}  // namespace

void ensure_clsact(int ifindex) {
  LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex, .attach_point = BPF_TC_INGRESS);
  int err = bpf_tc_hook_create(&hook);
  if (err && err != -EEXIST) throw Failure(bpf_failure("creating the clsact qdisc", err));
  forget_kernel_message();
}

bool remove_clsact_if_unused(Netlink& nl, int ifindex) {
  if (count_filters(nl, ifindex, TC_H_MIN_INGRESS) || count_filters(nl, ifindex, TC_H_MIN_EGRESS)) return false;
  LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex,
              .attach_point = bpf_tc_attach_point(BPF_TC_INGRESS | BPF_TC_EGRESS));
  int err = bpf_tc_hook_destroy(&hook);
  if (err == -ENOENT || err == -EINVAL) {  // no clsact qdisc
    forget_kernel_message();
    return false;
  }
  if (err) throw Failure(bpf_failure("removing the clsact qdisc", err));
  return true;
}

}  // namespace ulvs::rs
