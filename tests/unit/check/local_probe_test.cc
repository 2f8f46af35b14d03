// local_probe_test — MISC_CHECK (scripts exiting 0/1/5, dynamic weights, a sleeper killed at
// the timeout or on stop) and FILE_CHECK.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "check/file_probe.h"
#include "check/misc_probe.h"
#include "check/probe.h"

using namespace ulvs;
using namespace ulvs::check;
using Ms = std::chrono::milliseconds;

namespace {

config::Checker misc(const std::string& cmd, bool dynamic = false, int64_t timeout = 300) {
  config::Checker c;
  c.type = config::Checker::Misc;
  c.misc_path.command = cmd;
  c.misc_dynamic = dynamic;
  c.misc_timeout = timeout;
  return c;
}

ProbeResult run(const config::Checker& c) { return probe_misc(c, Deadline::after(c.misc_timeout)); }

int64_t elapsed_ms(Clock::time_point since) {
  return std::chrono::duration_cast<Ms>(Clock::now() - since).count();
}

std::string temp_path(const char* tag) {
  return "/tmp/ulvs_check_" + std::string(tag) + "_" + std::to_string(getpid());
}

}  // namespace

TEST(MiscProbe, ExitCodes) {
  EXPECT_TRUE(run(misc("exit 0")).ok);
  EXPECT_FALSE(run(misc("exit 1")).ok);
  EXPECT_FALSE(run(misc("exit 5")).ok);
  EXPECT_FALSE(run(misc("/nonexistent/script")).ok);
  EXPECT_TRUE(run(misc("test \"$0\" = sh -a 1 -eq 1")).ok);  // runs through /bin/sh -c
}

TEST(MiscProbe, DynamicWeights) {
  ProbeResult zero = run(misc("exit 0", true));
  EXPECT_TRUE(zero.ok);
  EXPECT_FALSE(zero.weight);  // unchanged
  EXPECT_FALSE(run(misc("exit 1", true)).ok);
  ProbeResult five = run(misc("exit 5", true));
  EXPECT_TRUE(five.ok);
  EXPECT_EQ(five.weight, 3);
  EXPECT_FALSE(five.weight_is_delta);
  EXPECT_EQ(run(misc("exit 255", true)).weight, 253);
  EXPECT_EQ(run(misc("exit 2", true)).weight, 0);
  EXPECT_FALSE(judge_misc_status(SIGKILL, true).ok);  // killed: down
}

TEST(MiscProbe, SleeperKilledAtTimeoutWithItsChildren) {
  const std::string marker = temp_path("misc_marker");
  unlink(marker.c_str());
  // The script's child would write the marker after 400 ms unless the group is killed.
  auto c = misc("(sleep 0.4; touch " + marker + ") & sleep 5", false, 150);
  auto t0 = Clock::now();
  ProbeResult r = run(c);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.message.find("timeout"), std::string::npos) << r.message;
  EXPECT_GE(elapsed_ms(t0), 140);
  EXPECT_LT(elapsed_ms(t0), 400);
  std::this_thread::sleep_for(Ms(450));
  EXPECT_NE(access(marker.c_str(), F_OK), 0) << "a child of the script survived";
}

TEST(MiscProbe, StopKillsScript) {
  std::atomic<bool> stop{false};
  std::thread stopper([&] {
    std::this_thread::sleep_for(Ms(50));
    stop = true;
  });
  auto t0 = Clock::now();
  ProbeResult r = run_probe(misc("sleep 5", false, 5000), net::Endpoint{}, &stop);
  stopper.join();
  EXPECT_FALSE(r.ok);
  EXPECT_LT(elapsed_ms(t0), 200);
}

TEST(MiscProbe, TimeoutDefaultsToDelayLoop) {
  auto c = misc("exit 0", false, 0);
  c.delay_loop = 7000;
  EXPECT_EQ(probe_timeout_ms(c), 7000);
}

TEST(FileProbe, ZeroIsUpNonZeroIsDown) {
  const std::string path = temp_path("file");
  config::Checker c;
  c.type = config::Checker::File;
  c.track_file = path;
  unlink(path.c_str());
  EXPECT_TRUE(probe_file(c).ok);  // missing file counts as 0
  std::ofstream(path) << "0\n";
  EXPECT_TRUE(probe_file(c).ok);
  std::ofstream(path) << "3\n";
  EXPECT_FALSE(probe_file(c).ok);
  c.file_reverse = true;  // reverse: non-zero is up, 0 down
  EXPECT_TRUE(probe_file(c).ok);
  std::ofstream(path) << "0\n";
  EXPECT_FALSE(probe_file(c).ok);
  unlink(path.c_str());
}

TEST(FileProbe, WeightedValueAdjustsWeight) {
  const std::string path = temp_path("fileweight");
  config::Checker c;
  c.type = config::Checker::File;
  c.track_file = path;
  c.file_weight = 2;
  std::ofstream(path) << "0x5\n";  // strtol base 0
  ProbeResult r = probe_file(c);
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.weight, 10);
  EXPECT_TRUE(r.weight_is_delta);
  c.file_reverse = true;
  EXPECT_EQ(probe_file(c).weight, -10);
  std::ofstream(path) << "-2147483648\n";
  c.file_reverse = false;
  c.file_weight = 1;
  EXPECT_FALSE(probe_file(c).ok);  // at INT32_MIN: fault
  EXPECT_EQ(read_track_file("/nonexistent/x"), 0);
  unlink(path.c_str());
}

TEST(MiscProbe, RunnableLooksUpTheFirstWordInPath) {
  EXPECT_TRUE(runnable("/bin/sh -c 'exit 0'"));
  EXPECT_TRUE(runnable("sh -c true"));  // found in PATH
  EXPECT_TRUE(runnable("test\t-e /x"));
  EXPECT_FALSE(runnable("/usr/local/bin/no-such-script.sh arg"));
  EXPECT_FALSE(runnable("no-such-program-ulvs arg"));
  EXPECT_FALSE(runnable(""));
  EXPECT_FALSE(runnable(" leading-space"));
}
