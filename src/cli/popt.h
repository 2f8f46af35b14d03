// popt.h — a command-line scanner that behaves like the popt library ipvsadm is built with.
//
// Scripts depend on popt's corner cases, so they are reproduced rather than getopt's:
// short options cluster (`-Lnc`), an argument may be glued on (`-t10.0.0.1:80`, `-p=200`),
// `--name=value` works, a required argument takes the next word even if it starts with '-'
// (`-w -1`), an optional one (`-p [timeout]`) only if it does not, `--` ends the options and
// words that are not options are collected as leftovers, wherever they appear.
//
//   PoptScanner s(table, args);
//   for (auto ev = s.next(); ev.kind == PoptEvent::Option; ev = s.next()) use(ev.id, ev.arg);
//   s.leftovers();   // {"1", "2", "3"} for `--set 1 2 3`
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace ulvs::cli {

enum class ArgKind { None, Required, Optional };

struct PoptOption {
  const char* long_name;  // without "--"; nullptr: short only
  char short_name;        // 0: long only
  ArgKind arg;
  int id;
};

struct PoptEvent {
  enum Kind { Option, End, UnknownOption, MissingArgument, UnwantedArgument } kind = End;
  int id = 0;
  std::optional<std::string> arg;
  std::string word;  // the command-line word being processed (popt's poptBadOption)

  // popt's poptStrerror text for the error kinds.
  const char* error_text() const;
};

class PoptScanner {
 public:
  PoptScanner(std::span<const PoptOption> table, std::span<const std::string> args)
      : table_(table), args_(args) {}

  PoptEvent next();
  const std::vector<std::string>& leftovers() const { return leftovers_; }

 private:
  PoptEvent long_option(const std::string& word);
  PoptEvent short_option();
  // The value of an option given as a separate word, if popt would take it.
  std::optional<std::string> take_next_word(ArgKind kind);

  std::span<const PoptOption> table_;
  std::span<const std::string> args_;
  size_t next_ = 0;           // next word to read
  std::string cluster_;       // current short-option word
  size_t cluster_pos_ = 0;    // next character of cluster_ (0: no cluster in progress)
  bool options_ended_ = false;
  std::vector<std::string> leftovers_;
};

}  // namespace ulvs::cli
