// netlink.h — a route netlink socket (libmnl) for one request at a time.
//
//   Netlink nl;
//   int err = nl.request(nlh);                        // 0 or -errno from the kernel's ack
//   nl.dump(nlh, [](const nlmsghdr* m) { ... });      // every message of a dump
#pragma once

#include <functional>
#include <string>

struct mnl_socket;
struct nlmsghdr;

namespace ulvs::rs {

class Netlink {
 public:
  Netlink();  // throws Failure
  ~Netlink();
  Netlink(const Netlink&) = delete;
  Netlink& operator=(const Netlink&) = delete;

  // Sends nlh (NLM_F_ACK is added) and returns the kernel's answer: 0 or -errno.
  int request(nlmsghdr* nlh);
  // Sends nlh (NLM_F_DUMP is added) and calls each for every answer; throws Failure.
  void dump(nlmsghdr* nlh, const std::function<void(const nlmsghdr*)>& each);

 private:
  void send(nlmsghdr* nlh);
  mnl_socket* sock_ = nullptr;
  unsigned portid_ = 0;
  unsigned seq_ = 0;
};

// The interface's index; throws Failure when there is no such interface.
int ifindex_of(const std::string& dev);

}  // namespace ulvs::rs
