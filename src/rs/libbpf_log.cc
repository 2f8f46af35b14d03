// libbpf_log.cc — the libbpf print callback.
#include "rs/libbpf_log.h"

#include <bpf/libbpf.h>

#include <cstdarg>
#include <cstdio>

#include "rs/failure.h"

namespace ulvs::rs {
namespace {

std::string& kernel_message() {
  static std::string m;
  return m;
}

int print(enum libbpf_print_level level, const char* fmt, va_list args) {
  if (level != LIBBPF_WARN) return 0;
  char buf[1024];
  std::vsnprintf(buf, sizeof(buf), fmt, args);
  std::string text(buf);
  static const std::string kKernel = "Kernel error message: ";
  if (auto at = text.find(kKernel); at != std::string::npos) {
    kernel_message() = text.substr(at + kKernel.size());
    while (!kernel_message().empty() && kernel_message().back() == '\n') kernel_message().pop_back();
    return 0;
  }
  return std::fputs(buf, stderr);
}

}  // namespace

void install_libbpf_log() { libbpf_set_print(print); }

std::string bpf_failure(const std::string& what, int err) {
  std::string text = errno_text(what, err);
  if (!kernel_message().empty()) text += " (kernel: " + kernel_message() + ")";
  kernel_message().clear();
  return text;
}

void forget_kernel_message() { kernel_message().clear(); }

}  // namespace ulvs::rs
