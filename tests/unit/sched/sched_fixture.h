// sched_fixture.h — builds a service's dest list the way the kernel orders it, for scheduler
// tests: add("A", 3) puts A at the head, so after add A, B, C the list is C, B, A.
#pragma once

#include <gtest/gtest.h>

#include <deque>
#include <map>
#include <string>
#include <vector>

#include "sched/scheduler.h"

namespace ulvs::sched::testing {

class DestSet {
 public:
  // Real server `name` gets address 192.168.10.<n> (n = 1, 2, ... in add order), port 80,
  // unless an explicit endpoint is given.
  ipvs::Dest& add(const std::string& name, int32_t weight = 1, const char* endpoint = nullptr) {
    ipvs::Dest& d = store_.emplace_back();
    d.cfg.ep = endpoint ? *net::Endpoint::parse(endpoint)
                        : net::Endpoint{net::Addr::v4(0xC0A80A00u + uint32_t(store_.size())), 80};
    d.cfg.weight = weight;
    d.last_weight = weight;
    names_[&d] = name;
    list_.insert(list_.begin(), &d);  // the kernel's list_add: new dests go to the head
    return d;
  }
  void remove(ipvs::Dest& d) {
    std::erase(list_, &d);
    d.available = false;
  }
  // Edits weight as ipvsadm -e does (last_weight keeps the last non-zero weight).
  void set_weight(ipvs::Dest& d, int32_t w) {
    d.cfg.weight = w;
    if (w) d.last_weight = w;
  }
  ipvs::Dest& operator[](const std::string& name) {
    for (auto& [p, n] : names_)
      if (n == name) return *p;
    throw std::out_of_range(name);
  }
  DestList list() const { return DestList(list_.data(), list_.size()); }
  std::string name(const ipvs::Dest* d) const { return d ? names_.at(const_cast<ipvs::Dest*>(d)) : "-"; }

  // n picks with the same packet; returns the names ("-" for no dest).
  std::vector<std::string> picks(Scheduler& s, int n, const PacketKey& pkt = {}, ipvs::TimeMs now = 0) {
    std::vector<std::string> out;
    for (int i = 0; i < n; ++i) out.push_back(name(s.schedule(list(), pkt, now)));
    return out;
  }

 private:
  std::deque<ipvs::Dest> store_;  // stable addresses
  std::vector<ipvs::Dest*> list_;
  std::map<ipvs::Dest*, std::string> names_;
};

inline std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == ' ') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

}  // namespace ulvs::sched::testing
