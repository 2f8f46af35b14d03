// wrr_test.cc — weighted round robin (spec §3.2, ip_vs_wrr.c of kernel >= 3.10).
//
// Reading the expectations: di = gcd of the positive weights, mw = max - (di - 1), the cursor
// starts at the head with cw = mw; each pass picks in list order the usable dests with
// weight >= cw, then cw -= di; when cw drops to <= 0 it restarts at mw.
#include <numeric>

#include "sched_check.h"

namespace ulvs::sched::testing {
namespace {

struct Seq {
  const char* what;
  std::vector<D> list;  // list order, head first
  const char* expect;
};

TEST(Wrr, Sequences) {
  const std::vector<Seq> table = {
      // Passes cw = 3: A; cw = 2: A B; cw = 1: A B C.
      {"list A3 B2 C1", {{"A", 3}, {"B", 2}, {"C", 1}}, "A A B A B C  A A B A B C"},
      // Added A, B, C: the list is C, B, A.  cw = 3: A; 2: B A; 1: C B A.
      {"added A3 B2 C1", {{"C", 1}, {"B", 2}, {"A", 3}}, "A B A C B A  A B A C B A"},
      // gcd 2, mw 3: cw = 3: A; cw = 1: A B.
      {"list A4 B2", {{"A", 4}, {"B", 2}}, "A A B  A A B  A A B"},
      // cw = 5..2: C; cw = 1: A B C.
      {"list A1 B1 C5", {{"A", 1}, {"B", 1}, {"C", 5}}, "C C C C A B C  C C C C A B C"},
      {"weight 0 is never chosen", {{"A", 2}, {"B", 0}, {"C", 1}}, "A A C  A A C"},
      // gcd 3, mw 7: cw = 7: A; cw = 4: A B; cw = 1: A B C.
      {"list A9 B6 C3", {{"A", 9}, {"B", 6}, {"C", 3}}, "A A B A B C  A A B A B C"},
      // Overloaded A still counts for mw (3), so the cw = 3 pass finds nothing and falls
      // through to cw = 2: B; cw = 1: B C.
      {"overloaded is skipped", {{"A", 3, 0, 0, true}, {"B", 2}, {"C", 1}}, "B B C  B B C"},
      {"equal weights are plain rr", {{"A", 4}, {"B", 4}, {"C", 4}}, "A B C A B C"},
      {"all weights 0", {{"A", 0}, {"B", 0}}, "- - -"},
      {"all overloaded", {{"A", 1, 0, 0, true}, {"B", 2, 0, 0, true}}, "- - -"},
      {"empty list", {}, "- -"},
  };
  for (const Seq& t : table) {
    SCOPED_TRACE(t.what);
    DestSet ds;
    build(ds, t.list);
    auto s = make_wrr();
    s->init(ds.list(), {});
    auto want = split(t.expect);
    EXPECT_EQ(ds.picks(*s, int(want.size())), want);
  }
}

// ipvsadm -A then -a A, -a B, -a C: init sees an empty list (mw = cw = 0); the first add sets
// cw = mw = 1 (A alone: gcd 3, mw 3 - 2); later adds keep cw = 1 (<= mw, gcd 1).  So the
// first cycle starts at the last pass: C B A, then the regular cycle A, B A, C B A.
TEST(Wrr, ServiceBuiltDestByDest) {
  DestSet ds;
  auto s = make_wrr();
  s->init(ds.list(), {});
  EXPECT_EQ(ds.picks(*s, 1), split("-"));
  svc_add(ds, *s, "A", 3);
  svc_add(ds, *s, "B", 2);
  svc_add(ds, *s, "C", 1);
  EXPECT_EQ(ds.picks(*s, 9), split("C B A  A B A C B A"));
}

// Each row: a list given in list order, picks, one edit through its hook, picks.  Every hook
// puts the cursor back to the head and may adjust cw.
struct Edit {
  const char* what;
  std::vector<D> list;
  const char* before;
  std::function<void(DestSet&, Scheduler&)> edit;
  const char* after;
};

TEST(Wrr, CursorResetsOnListEdits) {
  const std::vector<Edit> table = {
      // After "A B A" cw is 2 and the cursor is A.  D(2) goes to the head; gcd 1, mw 3, cw
      // stays 2 and the cursor goes to the head, so the cw = 2 pass is replayed with D in it:
      // D B A; then cw = 1: D C B A; cw = 3: A; cw = 2: D B A ...
      {"add mid-cycle", {{"C", 1}, {"B", 2}, {"A", 3}}, "A B A",
       [](DestSet& ds, Scheduler& s) { svc_add(ds, s, "D", 2); },
       "D B A  D C B A  A  D B A  D C B A"},
      // After "A B A C" cw is 1 and the cursor is C.  Deleting B keeps cw = 1 and restarts
      // at the head, so C is picked twice in a row: C A, then cw = 3: A; 2: A; 1: C A.
      {"delete mid-cycle", {{"C", 1}, {"B", 2}, {"A", 3}}, "A B A C",
       [](DestSet& ds, Scheduler& s) { svc_del(ds, s, "B"); }, "C A  A A C A  A A C A"},
      // List A6 B3: gcd 3, mw 4; after "A" cw is 4.  B -> 2: gcd 2, mw 5, and cw is rounded
      // to (4 / 2) * 2 + 1 = 5, so the passes are cw = 5: A; 3: A; 1: A B.  (Without the
      // rounding the cw = 4 pass would give A, then 2: A B.)
      {"edit changes the gcd: cw rounded", {{"A", 6}, {"B", 3}}, "A",
       [](DestSet& ds, Scheduler& s) { svc_edit(ds, s, "B", 2); }, "A A A B  A A A B"},
      // List A3 B1; after "A" cw is 3.  A -> 1: mw 1 < cw, so cw = mw = 1: plain A B.
      {"edit lowers the max below cw", {{"A", 3}, {"B", 1}}, "A",
       [](DestSet& ds, Scheduler& s) { svc_edit(ds, s, "A", 1); }, "A B A B"},
      // All weights 0: mw = cw = 0, nothing.  A -> 2: gcd 2, mw 1, cw == 0 so cw = mw.
      {"edit revives a quiesced service", {{"A", 0}, {"B", 0}}, "- -",
       [](DestSet& ds, Scheduler& s) { svc_edit(ds, s, "A", 2); }, "A A A"},
      // List A2 B1 after "A A" (cw 1, cursor A).  Quiescing A: mw 1, cw 1, head: B only.
      {"edit quiesces the cursor", {{"A", 2}, {"B", 1}}, "A A",
       [](DestSet& ds, Scheduler& s) { svc_edit(ds, s, "A", 0); }, "B B B"},
      // A weight-only edit to the same value still resets the cursor: after "A A" (cw 2,
      // cursor A, next would be B) the cw = 2 pass restarts from the head: A B, then A B C.
      {"same-weight edit resets the cursor", {{"A", 3}, {"B", 2}, {"C", 1}}, "A A",
       [](DestSet& ds, Scheduler& s) { svc_edit(ds, s, "C", 1); }, "A B A B C  A A B"},
  };
  for (const Edit& t : table) {
    SCOPED_TRACE(t.what);
    DestSet ds;
    build(ds, t.list);
    auto s = make_wrr();
    s->init(ds.list(), {});
    auto before = split(t.before), after = split(t.after);
    ASSERT_EQ(ds.picks(*s, int(before.size())), before);
    t.edit(ds, *s);
    EXPECT_EQ(ds.picks(*s, int(after.size())), after);
  }
}

// A failed pick that started mid-list is bounded (it stops after re-examining its starting
// dest) and leaves the cursor there; once the overload clears the cycle resumes.
// List A2 B1: "A A B" leaves the cursor on B with cw 1.  All overloaded: the scan after B
// restarts at cw = 2, then cw = 1 is the last pass and stops at B.  Cleared: the scan after
// B wraps to cw = 2: A, then cw = 1: A B.
TEST(Wrr, FailureMidListIsBoundedAndRecovers) {
  DestSet ds;
  build(ds, {{"A", 2}, {"B", 1}});
  auto s = make_wrr();
  s->init(ds.list(), {});
  EXPECT_EQ(ds.picks(*s, 3), split("A A B"));
  ds["A"].overloaded = ds["B"].overloaded = true;
  EXPECT_EQ(ds.picks(*s, 2), split("- -"));
  ds["A"].overloaded = ds["B"].overloaded = false;
  EXPECT_EQ(ds.picks(*s, 6), split("A A B  A A B"));
}

// The bound is at the starting dest itself, not the list end: list A1 B1 C1, "A" (cursor A);
// all overloaded: B, C, wrap (cw 1 is the last pass), A -> stop, cursor stays on A.  Cleared:
// the walk resumes after A (an unbounded scan would end at the head and resume with A).
TEST(Wrr, FailureStopsAtItsStartingDest) {
  DestSet ds;
  build(ds, {{"A", 1}, {"B", 1}, {"C", 1}});
  auto s = make_wrr();
  s->init(ds.list(), {});
  EXPECT_EQ(ds.picks(*s, 1), split("A"));
  for (const char* n : {"A", "B", "C"}) ds[n].overloaded = true;
  EXPECT_EQ(ds.picks(*s, 1), split("-"));
  for (const char* n : {"A", "B", "C"}) ds[n].overloaded = false;
  EXPECT_EQ(ds.picks(*s, 4), split("B C A B"));
}

// A failure whose scan already made a full last pass (cw <= di from the head) stops as soon
// as cw drops to 0: cw goes back to mw and the cursor to the head.
// List A2 B1, "A" (cw 2, cursor A); all overloaded: after A, cw = 1 from the head finds
// nothing, cw 0 -> fail with cw = 2 at the head.  Cleared: cw = 2: A; cw = 1: A B.
// (Carrying on instead would fail later with cw 1 on A, and resume with B.)
TEST(Wrr, FailureAfterLastPassRestartsTheCycle) {
  DestSet ds;
  build(ds, {{"A", 2}, {"B", 1}});
  auto s = make_wrr();
  s->init(ds.list(), {});
  EXPECT_EQ(ds.picks(*s, 1), split("A"));
  ds["A"].overloaded = ds["B"].overloaded = true;
  EXPECT_EQ(ds.picks(*s, 1), split("-"));
  ds["A"].overloaded = ds["B"].overloaded = false;
  EXPECT_EQ(ds.picks(*s, 6), split("A A B  A A B"));
}

// An overload that appears mid-cycle only removes that dest's remaining picks.
// List A3 B2 C1, "A A" (cw 2, cursor A); B overloaded: B skipped, cw = 1: A C; then B back.
TEST(Wrr, OverloadMidCycle) {
  DestSet ds;
  build(ds, {{"A", 3}, {"B", 2}, {"C", 1}});
  auto s = make_wrr();
  s->init(ds.list(), {});
  EXPECT_EQ(ds.picks(*s, 2), split("A A"));
  ds["B"].overloaded = true;
  EXPECT_EQ(ds.picks(*s, 3), split("A C A"));
  ds["B"].overloaded = false;
  EXPECT_EQ(ds.picks(*s, 7), split("A B A B C  A A"));
}

// Property: every full cycle (sum of weight/gcd picks, starting right after init) gives each
// dest exactly weight/gcd picks, however the weights are spread.
TEST(Wrr, ExactSharePerCycle) {
  const std::vector<std::vector<D>> lists = {
      {{"A", 5}, {"B", 3}, {"C", 2}, {"D", 0}},
      {{"A", 6}, {"B", 4}, {"C", 2}},
      {{"A", 1}, {"B", 100}, {"C", 7}, {"D", 1}},
      {{"A", 12}, {"B", 18}, {"C", 30}, {"E", 0}},
  };
  for (const auto& list : lists) {
    DestSet ds;
    build(ds, list);
    auto s = make_wrr();
    s->init(ds.list(), {});
    int g = 0, cycle = 0;
    for (const D& d : list) g = std::gcd(g, d.weight);
    for (const D& d : list) cycle += d.weight / g;
    SCOPED_TRACE(::testing::Message() << "cycle " << cycle);
    for (int c = 0; c < 100000 / cycle; ++c) {
      std::map<std::string, int> count;
      for (const std::string& n : ds.picks(*s, cycle)) ++count[n];
      for (const D& d : list) ASSERT_EQ(count[d.name], d.weight / g) << d.name << " cycle " << c;
    }
  }
}

TEST(Wrr, NeverPicksQuiescedOrOverloaded) {
  auto s = make_wrr();
  auto count = expect_only_eligible(*s);
  EXPECT_EQ(count["-"], 0);
  EXPECT_EQ(count["D"], 0);
}

}  // namespace
}  // namespace ulvs::sched::testing
