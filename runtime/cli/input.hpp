// Reading the documents a command was given: a file path, or "-" for standard input.
//
// Errors (missing file, unreadable file, YAML/JSON syntax) come back as statuses naming the file and,
// for syntax, the line and column. Runs on the calling thread; blocking file I/O.
#pragma once

#include <string>
#include <vector>

#include "model/document.hpp"
#include "model/kafka_cluster.hpp"
#include "model/status.hpp"

namespace kactor::runtime {

/// The whole text of `path` ("-" = stdin).
model::result<std::string> read_text(const std::string& path);

/// One KafkaCluster document of an input, with its position for messages.
struct cluster_document {
  /// 1-based position of the document in the input.
  size_t index = 0;
  model::json doc;
};

/// Every document of `path`, parsed; non-KafkaCluster documents are returned in `skipped` as
/// "document N: Kind name".
model::result<std::vector<cluster_document>> read_cluster_documents(const std::string& path,
                                                                    std::vector<std::string>& skipped);

} // namespace kactor::runtime
