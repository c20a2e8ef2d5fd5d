// The studio: a web page where policy staff write, test, prove and try rules
// (`miaopi serve --studio`, at /studio/). It works on a copy of the pack in
// a scratch folder and touches the pack in service only on publish, a reload
// with the same checks as /v1/admin/reload. docs/studio.md is the guide.
// This file's external interface is StudioOptions and MakeStudio.
#pragma once

#include <memory>
#include <string>

#include "engine/include/miaopi/miaopi.h"
#include "service/service.h"
#include "studio/scratch.h"

namespace miaopi::studio {

struct StudioOptions {
  std::string pack_dir;     // the pack in service
  std::string scratch_dir;  // --studio-scratch; empty: a new temporary folder
  std::string samples;      // --studio-samples: JSONL applications for the impact of an edit
  std::string journal_dir;  // serve --journal: the impact over the decisions kept
  LoadOptions load;         // as the service compiles its pack
  ScratchLimits limits;
  size_t max_body = 1u << 20;          // bytes of one request's body (serve --max-body)
  size_t max_graph_nodes = 3000;       // larger graphs are not drawn (Graphviz would take minutes)
  unsigned verify_timeout_ms = 10000;  // per solver question
  size_t max_queued = 8;               // studio jobs waiting; more are answered 503
};

// The studio's routes under /studio, for Service's Extension hook; null with
// `error` when the scratch folder cannot be made.
std::unique_ptr<service::Extension> MakeStudio(service::Service& service, const StudioOptions& options,
                                               std::string* error);

}  // namespace miaopi::studio
