#include "cli/popt.h"

#include <cstring>

namespace ulvs::cli {

const char* PoptEvent::error_text() const {
  switch (kind) {
    case UnknownOption: return "unknown option";
    case MissingArgument: return "missing argument";
    case UnwantedArgument: return "option does not take an argument";
    default: return "";
  }
}

PoptEvent PoptScanner::next() {
  if (cluster_pos_ != 0 && cluster_pos_ < cluster_.size()) return short_option();
  cluster_pos_ = 0;
  while (next_ < args_.size()) {
    const std::string& word = args_[next_++];
    if (options_ended_ || word.size() < 2 || word[0] != '-') {
      leftovers_.push_back(word);  // "-" alone is an argument too
    } else if (word == "--") {
      options_ended_ = true;
    } else if (word[1] == '-') {
      return long_option(word);
    } else {
      cluster_ = word;
      cluster_pos_ = 1;
      return short_option();
    }
  }
  return {};
}

PoptEvent PoptScanner::long_option(const std::string& word) {
  std::string name = word.substr(2);
  std::optional<std::string> inline_arg;
  if (auto eq = name.find('='); eq != std::string::npos) {
    inline_arg = name.substr(eq + 1);
    name.resize(eq);
  }
  for (const PoptOption& o : table_) {
    if (!o.long_name || name != o.long_name) continue;
    PoptEvent ev{.kind = PoptEvent::Option, .id = o.id, .word = word};
    if (o.arg == ArgKind::None) {
      if (inline_arg) ev.kind = PoptEvent::UnwantedArgument;
      return ev;
    }
    ev.arg = inline_arg ? inline_arg : take_next_word(o.arg);
    if (!ev.arg && o.arg == ArgKind::Required) ev.kind = PoptEvent::MissingArgument;
    return ev;
  }
  return {.kind = PoptEvent::UnknownOption, .word = word};
}

PoptEvent PoptScanner::short_option() {
  char c = cluster_[cluster_pos_++];
  for (const PoptOption& o : table_) {
    if (o.short_name != c) continue;
    PoptEvent ev{.kind = PoptEvent::Option, .id = o.id, .word = cluster_};
    if (o.arg == ArgKind::None) return ev;
    if (cluster_pos_ < cluster_.size()) {
      // The rest of the word is the value; popt skips one '=' ("-p=200").
      size_t from = cluster_pos_ + (cluster_[cluster_pos_] == '=' ? 1 : 0);
      ev.arg = cluster_.substr(from);
      cluster_pos_ = cluster_.size();
    } else {
      ev.arg = take_next_word(o.arg);
      if (!ev.arg && o.arg == ArgKind::Required) ev.kind = PoptEvent::MissingArgument;
    }
    return ev;
  }
  cluster_pos_ = cluster_.size();
  return {.kind = PoptEvent::UnknownOption, .word = cluster_};
}

std::optional<std::string> PoptScanner::take_next_word(ArgKind kind) {
  if (next_ >= args_.size()) return std::nullopt;
  const std::string& w = args_[next_];
  if (kind == ArgKind::Optional && !w.empty() && w[0] == '-') return std::nullopt;
  ++next_;
  return w;
}

}  // namespace ulvs::cli
