// parse_tree.h — tokens → a tree of statements, braces matched (keepalived's block structure).
//
// A statement is the words of one line up to a `{`, a `}` or the end of the line; so
// `HTTP_GET { url { path /x } connect_timeout 3 }` is four statements, exactly as keepalived
// splits it.  `{` opens the block of the statement just before it (on the same line or, when
// alone on its line, of the previous line's statement).  An unexpected `}` or a block left
// open at the end is an Error at the file:line of the brace / of the opening statement.
//
//   auto tree = build_tree(tokens, diag);      // nullopt on unbalanced braces
//   for (const Statement& st : *tree) if (st.keyword() == "global_defs") ... st.block ...
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/keepalived_model.h"
#include "config/lexer.h"

namespace ulvs::config {

struct Statement {
  Where where;
  std::vector<std::string> words;  // words[0]: the keyword
  std::vector<bool> quoted;        // per word
  bool has_block = false;
  std::vector<Statement> block;

  const std::string& keyword() const { return words[0]; }
  size_t nargs() const { return words.size() - 1; }
  const std::string& arg(size_t i) const { return words[i + 1]; }  // i < nargs()
};

std::optional<std::vector<Statement>> build_tree(const std::vector<Token>& toks, Diagnostics& diag);

}  // namespace ulvs::config
