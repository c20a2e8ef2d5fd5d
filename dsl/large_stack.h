// Compiling walks expressions recursively, and the walks are bounded (by the
// parser's nesting and height limits and the inlined height of lets and
// defs) — but a bound in levels is only safe with a known stack behind it,
// and the caller's thread may have a small one (a pool thread, a sanitizer
// build, `ulimit -s`). Compiling therefore runs on a thread of its own with
// this much stack (reserved address space; only the pages used are touched).
// This file's external interface is RunWithLargeStack.
#pragma once

#include <cstddef>
#include <functional>

namespace miaopi::dsl {

constexpr size_t kCompileStackBytes = size_t{512} << 20;

// Runs `fn` to completion on a thread with `stack_bytes` of stack and
// returns when it is done; an exception from `fn` is rethrown here. When
// no such thread can be made, `fn` runs on the calling thread.
void RunWithLargeStack(const std::function<void()>& fn, size_t stack_bytes = kCompileStackBytes);

}  // namespace miaopi::dsl
