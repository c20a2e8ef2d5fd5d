// The REPL's state and commands, without a terminal: ReplSession::Execute
// runs one input line — a command, an expression, or a line of pasted JSON —
// and returns what to print; Complete lists what Tab may insert. The line
// editor (apps/cli/line_editor.h) and `miaopi repl` (cmd_repl.cc) sit on top.
// This file's external interface is ReplSession.
#pragma once

#include <rapidjson/document.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "apps/cli/render.h"
#include "engine/include/miaopi/licences.h"
#include "engine/include/miaopi/miaopi.h"
#include "engine/testing/inspect.h"

namespace miaopi::cli {

struct ReplOptions {
  std::string pack_dir;
  LoadOptions load;
  std::string date;     // the evaluation date, YYYY-MM-DD
  std::string context;  // the request context as JSON, or ""
  std::shared_ptr<LicenceStore> licences;
  bool color = false;
};

class ReplSession {
 public:
  explicit ReplSession(ReplOptions options);
  ~ReplSession();

  // Loads the pack; false (with its diagnostics in *out) when it does not compile.
  bool Start(std::string* out);
  // Runs one line and returns what to print (empty while JSON is being pasted).
  std::string Execute(const std::string& line);
  // Drops a half-pasted JSON text (Ctrl-C).
  void CancelPaste() {
    paste_.clear();
    paste_scan_ = {};
  }

  bool quit() const { return quit_; }
  size_t errors() const { return errors_; }  // error messages so far
  bool pasting() const { return !paste_.empty(); }
  std::string Prompt() const;
  // What may complete the word that ends `before_cursor`: whole words, each
  // with a trailing space where nothing can follow directly. *word_start is
  // the offset of that word in `before_cursor`.
  std::vector<std::string> Complete(std::string_view before_cursor, size_t* word_start) const;

 private:
  std::string Command(const std::string& name, const std::string& arg);
  std::string Item(const std::string& arg);
  std::string Load(const std::string& path);
  std::string Set(const std::string& arg);
  std::string Unset(const std::string& arg);
  std::string Show() const;
  std::string Date(const std::string& arg);
  std::string Context(const std::string& arg);
  std::string Decide();
  std::string Why();
  std::string Fix(const std::string& arg);
  std::string Trace(const std::string& rule);
  std::string Rules() const;
  std::string Reload();
  std::string Graph(const std::string& rule) const;
  std::string Help() const;
  std::string Expression(const std::string& text);
  std::string Paste(const std::string& line);

  // Takes a parsed JSON text as the application (or an envelope with its context).
  std::string Adopt(rapidjson::Document& doc, const std::string& origin);
  // The version in force of the current item; -1 with *error set when there is none.
  int ItemIndex(std::string* error) const;
  Record Run(bool explain, bool remedies = false);
  std::string Error(const std::string& message) const;
  bool ParseJson(const std::string& text, const std::string& what, rapidjson::Document* doc, std::string* error) const;
  const Limits& limits() const;
  int32_t Today() const;

  ReplOptions options_;
  Colors colors_;
  std::unique_ptr<engine::Inspector> inspector_;
  std::unique_ptr<Evaluator> evaluator_;
  rapidjson::Document app_;
  rapidjson::Document context_;  // parsed options_.context (null when none)
  std::string item_;             // the current item code
  std::string paste_;            // JSON being pasted, line by line
  struct PasteScan {             // the brackets of paste_ scanned so far
    std::string open;
    bool in_string = false, escape = false, mismatch = false;
  } paste_scan_;
  bool quit_ = false;
  mutable size_t errors_ = 0;
};

}  // namespace miaopi::cli
