#include "check/misc_probe.h"

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <optional>
#include <thread>

namespace ulvs::check {

namespace {

struct Ids {
  uid_t uid;
  gid_t gid;
};

// The user/group to run as, when given and we are root (keepalived's script_user).
std::optional<Ids> script_ids(const config::Script& s) {
  if (s.user.empty() || geteuid() != 0) return std::nullopt;
  passwd* pw = getpwnam(s.user.c_str());
  if (!pw) return std::nullopt;
  Ids ids{pw->pw_uid, pw->pw_gid};
  if (!s.group.empty())
    if (group* gr = getgrnam(s.group.c_str())) ids.gid = gr->gr_gid;
  return ids;
}

// In the child: only async-signal-safe calls until exec.
[[noreturn]] void exec_child(const char* cmd, int devnull, std::optional<Ids> ids) {
  setpgid(0, 0);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  signal(SIGPIPE, SIG_DFL);
  if (devnull >= 0) {
    dup2(devnull, 0);
    dup2(devnull, 1);
  }
  if (ids && (setgid(ids->gid) != 0 || setuid(ids->uid) != 0)) _exit(127);
  execl("/bin/sh", "sh", "-c", cmd, static_cast<char*>(nullptr));
  _exit(127);
}

// Wait for pid until the deadline; true with *status when it exited.
bool wait_child(pid_t pid, const Deadline& d, int* status) {
  int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  bool done = false;
  while (!d.expired()) {
    pid_t r = waitpid(pid, status, WNOHANG);
    if (r == pid) {
      done = true;
      break;
    }
    if (r < 0 && errno != EINTR) break;
    if (pidfd >= 0) {
      pollfd p{pidfd, POLLIN, 0};
      poll(&p, 1, d.slice_ms());
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  if (pidfd >= 0) close(pidfd);
  return done;
}

}  // namespace

ProbeResult judge_misc_status(int st, bool dynamic) {
  if (!WIFEXITED(st)) return ProbeResult::down("killed by signal " + std::to_string(WTERMSIG(st)));
  const int code = WEXITSTATUS(st);
  if (code == 0) return ProbeResult::up("exit 0");
  if (!dynamic || code == 1) return ProbeResult::down("exit " + std::to_string(code));
  ProbeResult r = ProbeResult::up("exit " + std::to_string(code));
  r.weight = code - 2;
  return r;
}

ProbeResult probe_misc(const config::Checker& c, const Deadline& d) {
  if (c.misc_path.empty()) return ProbeResult::down("no misc_path");
  const std::optional<Ids> ids = script_ids(c.misc_path);
  const int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
  const pid_t pid = fork();
  if (pid == 0) exec_child(c.misc_path.command.c_str(), devnull, ids);
  if (devnull >= 0) close(devnull);
  if (pid < 0) return ProbeResult::down("fork failed");
  setpgid(pid, pid);  // also in the child: whichever runs first
  int st = 0;
  if (wait_child(pid, d, &st)) return judge_misc_status(st, c.misc_dynamic);
  kill(-pid, SIGKILL);
  kill(pid, SIGKILL);
  while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
  }
  return ProbeResult::down(d.cancelled() ? "stopped" : "timeout, script killed");
}

bool runnable(const std::string& command) {
  std::string prog = command.substr(0, command.find_first_of(" \t"));
  if (prog.empty()) return false;
  if (prog.find('/') != std::string::npos) return access(prog.c_str(), X_OK) == 0;
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/bin:/bin";
  for (size_t at = 0; at <= dirs.size();) {
    size_t colon = dirs.find(':', at);
    if (colon == std::string::npos) colon = dirs.size();
    std::string cand = dirs.substr(at, colon - at) + "/" + prog;
    if (access(cand.c_str(), X_OK) == 0) return true;
    at = colon + 1;
  }
  return false;
}

}  // namespace ulvs::check
