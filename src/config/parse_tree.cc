// parse_tree.cc — see parse_tree.h.
#include "config/parse_tree.h"

namespace ulvs::config {

std::optional<std::vector<Statement>> build_tree(const std::vector<Token>& toks, Diagnostics& diag) {
  Statement root;
  std::vector<Statement*> stack{&root};
  Statement cur;
  bool ok = true;
  bool attachable = false;  // the last statement of the open block may still take a `{`
  auto flush = [&] {
    if (cur.words.empty()) return false;
    stack.back()->block.push_back(std::move(cur));
    cur = Statement{};
    return true;
  };
  for (const Token& t : toks) {
    switch (t.kind) {
      case Token::Word:
        if (cur.words.empty()) cur.where = t.where;
        cur.words.push_back(t.text);
        cur.quoted.push_back(t.quoted);
        break;
      case Token::End:
        attachable = flush();
        break;
      case Token::Open: {
        bool own = flush();
        auto& blk = stack.back()->block;
        if ((own || attachable) && !blk.empty() && !blk.back().has_block) {
          blk.back().has_block = true;
          stack.push_back(&blk.back());
        } else {
          diag.push_back({Diagnostic::Error, t.where, "'{' without a keyword before it"});
          ok = false;
          // Parse the block anyway (as an anonymous statement) to keep the braces balanced.
          blk.push_back(Statement{t.where, {"{"}, {false}, true, {}});
          stack.push_back(&blk.back());
        }
        attachable = false;
        break;
      }
      case Token::Close:
        flush();
        attachable = false;
        if (stack.size() == 1) {
          diag.push_back({Diagnostic::Error, t.where, "unexpected '}' (unbalanced braces)"});
          ok = false;
        } else {
          stack.pop_back();
        }
        break;
    }
  }
  flush();
  for (size_t i = stack.size(); i-- > 1;) {
    diag.push_back({Diagnostic::Error, stack[i]->where,
                    "missing '}': block '" + stack[i]->keyword() + "' is never closed"});
    ok = false;
  }
  if (!ok) return std::nullopt;
  return std::move(root.block);
}

}  // namespace ulvs::config
