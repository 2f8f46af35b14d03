// sched_check.h — table and property helpers for the scheduler tests, on top of
// sched_fixture.h's DestSet.
//
//   check_cases(make_lc, {{"ties: first wins", {{"A"}, {"B"}}, "A"}});
//   svc_add(ds, *s, "D", 2);                       // add + the add_dest hook, as the service does
//   ds.picks(*s, 4) / picks_open(ds, *s, 4)        // the latter leaves every connection active
#pragma once

#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "sched_fixture.h"

namespace ulvs::sched::testing {

// One real server of a table row.
struct D {
  std::string name;
  int32_t weight = 1;
  uint32_t active = 0, inactive = 0;
  bool overloaded = false;
};

// Builds the list in exactly the order given (head first): adds them in reverse.
inline void build(DestSet& ds, const std::vector<D>& list) {
  for (auto it = list.rbegin(); it != list.rend(); ++it) {
    ipvs::Dest& d = ds.add(it->name, it->weight);
    d.activeconns = it->active;
    d.inactconns = it->inactive;
    d.overloaded = it->overloaded;
  }
}

// A list and the dest a stateless scheduler must choose for it ("-": none).
struct Case {
  const char* what;
  std::vector<D> list;
  const char* expect;
};

template <class Make>
void check_cases(Make make, const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    DestSet ds;
    build(ds, c.list);
    auto s = make();
    ASSERT_EQ(s->init(ds.list(), {}), 0);
    // Picking does not change the load here, so every pick must agree.
    EXPECT_EQ(ds.picks(*s, 3), std::vector<std::string>(3, c.expect));
  }
}

// The service's edits, each followed by its hook.
inline ipvs::Dest& svc_add(DestSet& ds, Scheduler& s, const std::string& name, int32_t w) {
  ipvs::Dest& d = ds.add(name, w);
  s.add_dest(ds.list(), d);
  return d;
}
inline void svc_del(DestSet& ds, Scheduler& s, const std::string& name) {
  ipvs::Dest& d = ds[name];
  ds.remove(d);
  s.del_dest(ds.list(), d);
}
inline void svc_edit(DestSet& ds, Scheduler& s, const std::string& name, int32_t w) {
  ds.set_weight(ds[name], w);
  s.upd_dest(ds.list(), ds[name]);
}

// n picks where every chosen dest keeps its connection active.
inline std::vector<std::string> picks_open(DestSet& ds, Scheduler& s, int n) {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) {
    ipvs::Dest* d = s.schedule(ds.list(), {}, 0);
    if (d) ++d->activeconns;
    out.push_back(ds.name(d));
  }
  return out;
}

// Pick counts by name over n picks (connections open only if `open`).
inline std::map<std::string, int> tally(DestSet& ds, Scheduler& s, int n, bool open = false) {
  std::map<std::string, int> count;
  for (int i = 0; i < n; ++i) {
    ipvs::Dest* d = s.schedule(ds.list(), {}, 0);
    if (d && open) ++d->activeconns;
    ++count[ds.name(d)];
  }
  return count;
}

// Property: over n picks on six dests whose load keeps changing (each pick opens a
// connection, connections close at random) and whose quiesced and overloaded dests rotate
// every 10k picks (weight edits go through upd_dest), no weight-0 or overloaded dest is ever
// chosen.  A pick may find nothing only when `may_fail(list)` says so (default: never).
// Returns how often each dest was picked.
inline std::map<std::string, int> expect_only_eligible(
    Scheduler& s, int n = 100000,
    std::function<bool(DestList)> may_fail = [](DestList) { return false; }) {
  const std::vector<std::pair<std::string, int32_t>> servers = {
      {"A", 3}, {"B", 1}, {"C", 4}, {"D", 0}, {"E", 5}, {"F", 2}};
  DestSet ds;
  for (auto& [name, w] : servers) ds.add(name, w);
  EXPECT_EQ(s.init(ds.list(), {}), 0);
  std::mt19937 rng(42);
  std::map<std::string, int> count;
  for (int i = 0; i < n; ++i) {
    if (i % 10000 == 0) {
      int phase = i / 10000;
      for (size_t k = 0; k < servers.size(); ++k) {
        ipvs::Dest& d = ds[servers[k].first];
        int32_t w = k == size_t(phase % 6) ? 0 : servers[k].second;
        if (d.weight() != w) svc_edit(ds, s, servers[k].first, w);
        d.overloaded = k == size_t((phase + 2) % 6);
      }
    }
    ipvs::Dest* d = s.schedule(ds.list(), {}, 0);
    if (!d) {
      EXPECT_TRUE(may_fail(ds.list())) << "no dest at pick " << i;
    } else {
      EXPECT_TRUE(eligible(*d)) << ds.name(d) << " at pick " << i;
      ++d->activeconns;
    }
    ++count[ds.name(d)];
    // Close a connection on a random dest: it turns inactive and inactive ones expire.
    ipvs::Dest& c = *ds.list()[rng() % ds.list().size()];
    if (c.activeconns) --c.activeconns, ++c.inactconns;
    if (c.inactconns && rng() % 2) --c.inactconns;
  }
  return count;
}

}  // namespace ulvs::sched::testing
