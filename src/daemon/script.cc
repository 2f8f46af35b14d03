// script.cc — double fork so the daemon never waits on, or leaves zombies of, its scripts.
#include "daemon/script.h"

#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

namespace ulvs::daemon {

namespace {

// In the child: become the script's user (root only), then exec the shell.
[[noreturn]] void exec_script(const config::Script& s) {
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);  // ulvsd blocks its signals; the script must not
  setsid();
  if (!s.user.empty() && geteuid() == 0) {
    if (passwd* pw = getpwnam(s.user.c_str())) {
      gid_t gid = pw->pw_gid;
      if (!s.group.empty())
        if (group* gr = getgrnam(s.group.c_str())) gid = gr->gr_gid;
      if (setgid(gid) != 0 || initgroups(pw->pw_name, gid) != 0 || setuid(pw->pw_uid) != 0) _exit(126);
    } else {
      _exit(126);
    }
  }
  execl("/bin/sh", "sh", "-c", s.command.c_str(), static_cast<char*>(nullptr));
  _exit(127);
}

}  // namespace

bool spawn_script(const config::Script& s) {
  if (s.empty()) return true;
  pid_t pid = fork();
  if (pid < 0) return false;
  if (pid == 0) {
    if (fork() == 0) exec_script(s);
    _exit(0);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

}  // namespace ulvs::daemon
