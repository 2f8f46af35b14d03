// rr_test.cc — round robin (spec §3.1, ip_vs_rr.c).
#include "sched_check.h"

namespace ulvs::sched::testing {
namespace {

struct Seq {
  const char* what;
  std::vector<D> list;  // list order, head first
  const char* expect;   // successive picks
};

TEST(Rr, Sequences) {
  const std::vector<Seq> table = {
      {"add A, B, C walks the list C, B, A", {{"C"}, {"B"}, {"A"}}, "C B A C B A C"},
      {"weight 0 is skipped", {{"C"}, {"B", 0}, {"A"}}, "C A C A"},
      {"overloaded is skipped", {{"C"}, {"B", 1, 0, 0, true}, {"A"}}, "C A C A"},
      {"weight values do not matter", {{"B", 1}, {"A", 5}}, "B A B A"},
      {"a single usable dest", {{"C", 0}, {"B"}, {"A", 1, 0, 0, true}}, "B B B"},
      {"nothing usable", {{"B", 0}, {"A", 1, 0, 0, true}}, "- - -"},
      {"empty list", {}, "- -"},
  };
  for (const Seq& t : table) {
    SCOPED_TRACE(t.what);
    DestSet ds;
    build(ds, t.list);
    auto s = make_rr();
    s->init(ds.list(), {});
    auto want = split(t.expect);
    EXPECT_EQ(ds.picks(*s, int(want.size())), want);
  }
}

// Each row: picks before, one list edit, picks after.  The list is C, B, A (D, C, B, A for
// the four-dest rows); the cursor is the last dest picked.
struct Edit {
  const char* what;
  bool four;
  const char* before;
  std::function<void(DestSet&, Scheduler&)> edit;
  const char* after;
};

TEST(Rr, CursorFollowsListEdits) {
  const std::vector<Edit> table = {
      // Cursor B is deleted: it moves to B's predecessor C, so the walk goes on with A
      // (restarting at the head would give C).
      {"delete the cursor", false, "C B", [](DestSet& ds, Scheduler& s) { svc_del(ds, s, "B"); },
       "A C A C"},
      // The predecessor of the first dest is the head: start again at the (new) first dest.
      {"delete the cursor at the head", false, "C",
       [](DestSet& ds, Scheduler& s) { svc_del(ds, s, "C"); }, "B A B A"},
      {"delete the cursor at the tail", false, "C B A",
       [](DestSet& ds, Scheduler& s) { svc_del(ds, s, "A"); }, "C B C B"},
      // Deleting another dest before the cursor shifts the cursor's index but not the cursor.
      {"delete before the cursor", true, "D C B",
       [](DestSet& ds, Scheduler& s) { svc_del(ds, s, "D"); }, "A C B A"},
      {"delete after the cursor", false, "C",
       [](DestSet& ds, Scheduler& s) { svc_del(ds, s, "A"); }, "B C B C"},
      // New dests go to the head, i.e. they are reached when the walk wraps around.
      {"add while the cursor is on B", false, "C B",
       [](DestSet& ds, Scheduler& s) { svc_add(ds, s, "D", 1); }, "A D C B A"},
      // The cursor's index moved with the add, so its predecessor is still found: C.
      {"add, then delete the cursor", false, "C B",
       [](DestSet& ds, Scheduler& s) { svc_add(ds, s, "D", 1), svc_del(ds, s, "B"); },
       "A D C A"},
      // Weight edits leave the cursor alone (rr has no upd_dest hook).
      {"quiesce A", false, "C B", [](DestSet& ds, Scheduler& s) { svc_edit(ds, s, "A", 0); },
       "C B C B"},
      {"reweight A", false, "C B", [](DestSet& ds, Scheduler& s) { svc_edit(ds, s, "A", 7); },
       "A C B A"},
      // Binding the scheduler again (ipvsadm -E -s rr) starts over at the head.
      {"init again", false, "C B",
       [](DestSet& ds, Scheduler& s) { s.init(ds.list(), {}); }, "C B A"},
  };
  for (const Edit& t : table) {
    SCOPED_TRACE(t.what);
    DestSet ds;
    if (t.four) ds.add("A"), ds.add("B"), ds.add("C"), ds.add("D");
    else ds.add("A"), ds.add("B"), ds.add("C");
    auto s = make_rr();
    s->init(ds.list(), {});
    auto before = split(t.before), after = split(t.after);
    ASSERT_EQ(ds.picks(*s, int(before.size())), before);
    t.edit(ds, *s);
    EXPECT_EQ(ds.picks(*s, int(after.size())), after);
  }
}

TEST(Rr, DeleteEverythingThenAdd) {
  DestSet ds;
  auto s = make_rr();
  s->init(ds.list(), {});
  svc_add(ds, *s, "A", 1);
  EXPECT_EQ(ds.picks(*s, 2), split("A A"));
  svc_del(ds, *s, "A");
  EXPECT_EQ(ds.picks(*s, 1), split("-"));
  svc_add(ds, *s, "B", 1);
  svc_add(ds, *s, "C", 1);
  EXPECT_EQ(ds.picks(*s, 3), split("C B C"));
}

// The walk re-checks the cursor's own dest last, so it can come back to the same one and an
// overload on it is noticed; clearing the overload makes it usable again.
TEST(Rr, OverloadOnTheCursor) {
  DestSet ds;
  build(ds, {{"C", 0}, {"B"}, {"A", 0}});
  auto s = make_rr();
  s->init(ds.list(), {});
  EXPECT_EQ(ds.picks(*s, 2), split("B B"));
  ds["B"].overloaded = true;
  EXPECT_EQ(ds.picks(*s, 2), split("- -"));
  ds["B"].overloaded = false;
  svc_edit(ds, *s, "A", 1);
  EXPECT_EQ(ds.picks(*s, 3), split("A B A"));
}

TEST(Rr, EqualSharesRegardlessOfWeight) {
  DestSet ds;
  build(ds, {{"A", 1}, {"B", 2}, {"C", 3}, {"D", 4}, {"E", 100}});
  auto s = make_rr();
  s->init(ds.list(), {});
  auto count = tally(ds, *s, 100000, /*open=*/true);
  for (const char* n : {"A", "B", "C", "D", "E"}) EXPECT_EQ(count[n], 20000) << n;
}

TEST(Rr, NeverPicksQuiescedOrOverloaded) {
  auto s = make_rr();
  auto count = expect_only_eligible(*s);
  EXPECT_EQ(count["-"], 0);
  EXPECT_EQ(count["D"], 0);  // weight 0 throughout
}

}  // namespace
}  // namespace ulvs::sched::testing
