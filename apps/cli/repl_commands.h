// The REPL's commands and the language's keywords, shared by the session
// (help, dispatch) and completion.
#pragma once

#include <string>
#include <string_view>

namespace miaopi::cli {

struct CommandInfo {
  const char* name;
  const char* args;
  const char* help;
};

inline constexpr CommandInfo kCommands[] = {
    {":item", "[CODE]", "choose the item (without CODE: list the items)"},
    {":load", "FILE.json", "load an application (or paste its JSON at the prompt)"},
    {":set", "PATH = VALUE", "set a field of the application: :set business.area_m2 = 8"},
    {":unset", "PATH", "remove a field of the application"},
    {":show", "", "print the current application"},
    {":date", "[YYYY-MM-DD]", "show or set the evaluation date"},
    {":context", "[JSON]", "show or set the request context: {\"subject\": {…}, \"town\": \"…\"}"},
    {":decide", "", "decide the application: outcome and reasons"},
    {":why", "", "each rule that did not pass, with the values that decided it"},
    {":trace", "RULE", "evaluate one rule step by step"},
    {":fix", "[apply]", "what would make each rule that did not pass, pass (apply: write the examples in)"},
    {":rules", "", "list the current item's rules"},
    {":reload", "", "recompile the pack from disk (the previous one is kept on errors)"},
    {":graph", "[RULE]", "print the compiled decision graph (or the part RULE uses)"},
    {":help", "", "this list"},
    {":quit", "", "leave (Ctrl-D too)"},
};

inline constexpr const char* kKeywords[] = {"today", "and", "or",  "not", "in",   "matches", "all",  "any",  "count",
                                            "sum",   "min", "max", "if",  "then", "else",    "true", "false"};

// `s` without leading and trailing white space.
inline std::string Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

}  // namespace miaopi::cli
