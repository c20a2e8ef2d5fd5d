// Line editing on a terminal with libedit: emacs keys, history kept in a
// file across runs, Tab completion through a callback, Ctrl-C cancelling
// the line being typed. This file's external interface is LineEditor.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace miaopi::cli {

class LineEditor {
 public:
  // Candidates for the word ending at the end of `before_cursor` (whole words)
  // and where that word starts.
  using Completer = std::function<std::vector<std::string>(std::string_view before_cursor, size_t* word_start)>;

  // `history_path` may be empty (no history file).
  LineEditor(std::string history_path, Completer completer);
  ~LineEditor();
  LineEditor(const LineEditor&) = delete;
  LineEditor& operator=(const LineEditor&) = delete;

  enum class Read { kLine, kInterrupted, kEnd };
  // Shows `prompt` and reads a line (without its newline); kInterrupted on
  // Ctrl-C, kEnd on Ctrl-D at an empty line or when input ends.
  Read ReadLine(const std::string& prompt, std::string* line);
  // Adds a line to the history and appends it to the history file.
  void Remember(const std::string& line);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace miaopi::cli
