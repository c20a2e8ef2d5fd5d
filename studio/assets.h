// The studio page's files, embedded in the binary (studio/CMakeLists.txt):
// web/ and CodeMirror 5 from Debian's libjs-codemirror. This file's external
// interface is FindAsset.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace miaopi::studio {

struct Asset {
  const char* name;  // as served under /studio/assets/: "studio.js", "cm/codemirror.js"
  const char* begin;
  const char* end;
};

// Every embedded file (the generated studio_assets.cc).
std::span<const Asset> Assets();

struct AssetFile {
  std::string_view body;
  std::string_view content_type;
};

// The file served as `name`, or nothing.
std::optional<AssetFile> FindAsset(std::string_view name);

}  // namespace miaopi::studio
